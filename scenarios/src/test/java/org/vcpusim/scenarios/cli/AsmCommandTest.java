package org.vcpusim.scenarios.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vcpusim asm} through the real command line, in process: exit codes, stdout and stderr of
 * the acceptance run of the issue (a librseq per-CPU counter called 1000 times), the JSON keys,
 * bad input and a fault.
 */
class AsmCommandTest {
  @TempDir Path dir;

  /** What one invocation printed and returned. */
  record Outcome(int code, String out, String err) {}

  private Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private Path copy(String resource) throws IOException {
    try (InputStream in = AsmCommandTest.class.getResourceAsStream("/asm/" + resource)) {
      Path p = dir.resolve(resource);
      Files.write(p, in.readAllBytes());
      return p;
    }
  }

  private static List<String> keys(JsonNode node) {
    List<String> keys = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      keys.add(it.next());
    }
    return keys;
  }

  @Test
  void acceptancePerCpuCounterThousandCalls() throws IOException {
    Path file = copy("percpu-counter.s");
    Outcome o = run("asm", file.toString(), "--entry", "percpu_inc", "--iterations", "1000",
        "--dump", "counters:8", "--json");
    assertEquals(ExitCodes.OK, o.code(), o.err());
    assertEquals("", o.err());
    JsonNode json = new ObjectMapper().readTree(o.out());
    assertEquals("e803000000000000", json.get("dumps").get("counters").asText(),
        "1000 little-endian");
    for (String key : List.of("instructions_per_iteration", "cycles_per_iteration",
        "latency_cycles", "loads_per_iteration", "stores_per_iteration", "branches_per_iteration",
        "per_instruction", "dumps", "registers")) {
      assertTrue(json.has(key), key);
    }
    assertTrue(json.get("cycles_per_iteration").asDouble() > 0);
    assertEquals(12.0, json.get("instructions_per_iteration").asDouble());
    assertEquals(1000, json.get("per_instruction").get(0).get("count").asLong());
  }

  /** The JSON shape, key by key and in order, is the contract scripts rely on. */
  @Test
  void jsonKeysGolden() throws IOException {
    Path file = copy("percpu-counter.s");
    Outcome o = run("asm", file.toString(), "--entry", "percpu_inc", "--iterations", "10",
        "--dump", "counters:8", "--json");
    assertEquals(ExitCodes.OK, o.code(), o.err());
    JsonNode json = new ObjectMapper().readTree(o.out());
    assertEquals(List.of("file", "entry", "entry_address", "profile", "iterations",
        "warmup_iterations", "instructions_per_iteration", "cycles_per_iteration",
        "routine_cycles_per_iteration", "latency_cycles", "loads_per_iteration",
        "stores_per_iteration", "branches_per_iteration", "taken_branches_per_iteration",
        "conditional_branches_per_iteration", "mispredictions_per_iteration", "driver",
        "per_instruction", "dumps", "registers", "process"), keys(json));
    assertEquals(List.of("cold", "warm"), keys(json.get("latency_cycles")));
    assertEquals(List.of("instructions_per_iteration", "cycles_per_iteration"),
        keys(json.get("driver")));
    assertEquals(List.of("address", "line", "column", "text", "count", "mean_cycles", "loads",
        "stores", "taken", "mispredicted", "served_by"),
        keys(json.get("per_instruction").get(0)));
    assertEquals(List.of("L1"), keys(json.get("per_instruction").get(0).get("served_by")));
    assertEquals(List.of("counters"), keys(json.get("dumps")));
    assertEquals(List.of("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9",
        "r10", "r11", "r12", "r13", "r14", "r15", "rflags", "fs_base", "gs_base"),
        keys(json.get("registers")));
    assertEquals(List.of("fs_base", "gs_base", "rseq_area", "rseq_offset", "stack_top"),
        keys(json.get("process")));
    assertEquals("0x7ffff7d8a000", json.get("registers").get("fs_base").asText());
    assertEquals(2336, json.get("process").get("rseq_offset").asLong());
    assertEquals("zen5", json.get("profile").asText());
  }

  /** The table's numbers are locale-independent (surefire runs under tr_TR). */
  @Test
  void textTableIsAlignedAndLocaleIndependent() throws IOException {
    assertEquals("tr", Locale.getDefault().getLanguage(), "the build runs tests under tr_TR");
    Path file = copy("percpu-counter.s");
    Outcome o = run("asm", file.toString(), "--entry", "percpu_inc", "--iterations", "20",
        "--dump", "counters:8");
    assertEquals(ExitCodes.OK, o.code(), o.err());
    String[] lines = o.out().split("\n");
    int header = -1;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].startsWith(" address")) {
        header = i;
      }
    }
    assertTrue(header >= 0, o.out());
    int instructionColumn = lines[header].indexOf("instruction");
    assertTrue(lines[header + 1].substring(instructionColumn).startsWith("movq __rseq_offset"));
    assertTrue(lines[header + 11].substring(instructionColumn).startsWith("addq $1, (%rax)"),
        lines[header + 11]);
    assertFalse(o.out().matches("(?s).*\\d,\\d\\d.*"), "no decimal commas: " + o.out());
    assertTrue(o.out().contains("dump counters ("), o.out());
    assertTrue(o.out().contains(": 14 00 00 00 00 00 00 00"), "20 calls");
  }

  @Test
  void assemblyErrorExitsTwoWithFileLineColumn() throws IOException {
    Path file = copy("bad-operand.s");
    Outcome o = run("asm", file.toString(), "--entry", "f");
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertEquals("", o.out());
    String[] lines = o.err().split("\n");
    assertEquals(1, lines.length, "one line, no stack trace: " + o.err());
    assertTrue(lines[0].startsWith("vcpusim: " + file + ":4:"), lines[0]);
    assertTrue(lines[0].contains(": error: "), lines[0]);
  }

  @Test
  void unknownProfileExitsTwoListingTheKnownOnes() throws IOException {
    Path file = copy("percpu-counter.s");
    Outcome o = run("asm", file.toString(), "--entry", "percpu_inc", "--profile", "pentium");
    assertEquals(ExitCodes.BAD_INPUT, o.code());
    assertEquals("vcpusim: unknown profile 'pentium'; known profiles: icelake, zen5\n", o.err());
  }

  @Test
  void otherBadInputExitsTwo() throws IOException {
    Path file = copy("percpu-counter.s");
    Outcome missing = run("asm", dir.resolve("nope.s").toString(), "--entry", "f");
    assertEquals(ExitCodes.BAD_INPUT, missing.code());
    assertTrue(missing.err().contains("nope.s: no such file"), missing.err());
    Outcome entry = run("asm", file.toString(), "--entry", "percpu_dec");
    assertEquals(ExitCodes.BAD_INPUT, entry.code());
    assertTrue(entry.err().contains("unknown entry symbol 'percpu_dec'"), entry.err());
    Outcome dump = run("asm", file.toString(), "--entry", "percpu_inc", "--dump", "counters");
    assertEquals(ExitCodes.BAD_INPUT, dump.code());
    assertTrue(dump.err().contains("bad --dump 'counters'"), dump.err());
    Outcome zero = run("asm", file.toString(), "--entry", "percpu_inc", "--iterations", "0");
    assertEquals(ExitCodes.BAD_INPUT, zero.code());
    assertTrue(zero.err().contains("--iterations must be at least 1"), zero.err());
    Outcome noEntry = run("asm", file.toString());
    assertEquals(ExitCodes.BAD_INPUT, noEntry.code());
    assertTrue(noEntry.err().contains("--entry"), noEntry.err());
  }

  @Test
  void faultExitsOneWithKindRipAddressAndLine() throws IOException {
    Path file = copy("faults.s");
    Outcome o = run("asm", file.toString(), "--entry", "null_deref");
    assertEquals(ExitCodes.CHECK_FAILED, o.code());
    assertEquals("", o.out());
    String[] lines = o.err().split("\n");
    assertEquals(1, lines.length, o.err());
    assertTrue(lines[0].startsWith("vcpusim asm: fault at 0x"), lines[0]);
    assertTrue(lines[0].contains(file + ":5:9: movq 8(%rax), %rdx"), lines[0]);
    assertTrue(lines[0].contains("PAGE_FAULT: read at 0x8 (NOT_MAPPED)"), lines[0]);

    Outcome json = run("asm", file.toString(), "--entry", "getpid", "--json");
    assertEquals(ExitCodes.CHECK_FAILED, json.code());
    JsonNode stopped = new ObjectMapper().readTree(json.out()).get("stopped");
    assertEquals("SYSCALL", stopped.get("reason").asText());
    assertEquals(10, stopped.get("line").asInt());
    assertTrue(json.err().contains("use a scenario to run with the kernel"), json.err());
  }

  @Test
  void helpListsTheAsmCommand() {
    Outcome o = run("--help");
    assertEquals(ExitCodes.OK, o.code());
    assertTrue(o.out().contains("asm"), o.out());
  }
}
