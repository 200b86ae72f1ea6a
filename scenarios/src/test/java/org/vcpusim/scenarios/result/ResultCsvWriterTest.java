package org.vcpusim.scenarios.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code result.csv}: a header and one row per variant with as many cells as the header, the
 * figures as {@code result.json} spells them, and quoting where a cell needs it.
 */
class ResultCsvWriterTest {
  @Test
  void oneRowPerVariantWithTheJsonFigures() {
    RunResult r = SampleResults.fourVariants();
    String csv = ResultCsvWriter.toCsv(r);
    String[] lines = csv.split("\n", -1);
    assertEquals(r.variants().size() + 2, lines.length, csv); // header, rows, final empty
    assertEquals("", lines[lines.length - 1]);
    List<String> header = List.of(lines[0].split(","));
    assertEquals("scenario", header.get(0));
    assertTrue(header.contains("rseq_aborts.preempt") && header.contains("cycle_stack.idle"),
        lines[0]);
    for (int i = 1; i <= r.variants().size(); i++) {
      assertEquals(header.size(), lines[i].split(",", -1).length, lines[i]);
    }
    VariantResult gs = r.variants().get(3);
    String row = lines[4];
    assertTrue(row.startsWith("allocator-microbench,42,gs-mm_cid,gs-mm_cid,mm_cid-6.4,legacy,"
        + gs.ops() + ",22.750,"), row);
    assertTrue(ResultJsonWriter.toJson(r).contains("\"cycles_per_op\": 22.750"));
  }

  @Test
  void cellsWithCommasOrQuotesAreQuoted() {
    RunResult r = SampleResults.fourVariants();
    VariantResult v = r.variants().get(0);
    VariantResult odd = new VariantResult("a,\"b\"", v.abi(), v.cidAllocator(), v.idUpdate(),
        v.ops(), v.cyclesPerOp(), v.cyclesPerOpP50(), v.cyclesPerOpP99(), v.instructionsPerOp(),
        v.loadsPerOp(), v.rseqAborts(), v.cidChanges(), v.maxCid(), v.gsWrites(),
        v.footprintBytes(), v.cycleStack(), v.violations(), v.notes());
    String csv = ResultCsvWriter.toCsv(new RunResult(r.scenario(), r.seed(), List.of(odd),
        r.host(), r.echo()));
    assertTrue(csv.contains(",\"a,\"\"b\"\"\",rseq-cpu,"), csv);
  }
}
