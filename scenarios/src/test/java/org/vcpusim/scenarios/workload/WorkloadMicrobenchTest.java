package org.vcpusim.scenarios.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.scenarios.scenario.Abi;

/**
 * The allocator microbenchmark (one thread, one CPU, zen5): slab alloc/free of the four ABI
 * variants, printed as cycles per op (mean, p50, p99), instructions and loads per op. The
 * assertions are structural, from userspace.md §6, not the cycle ordering: GS mode retires fewer
 * instructions and loads per op than the rseq variants (no id load, no shift/add), rseq-cpu and
 * rseq-mm_cid are the same code but for one displacement (equal within the slow-path noise), and the cached variant loads less than
 * rseq-cpu (no {@code __rseq_offset}, no slab base).
 */
class WorkloadMicrobenchTest {
  static final long OPS = 20_000;

  @Test
  void fourVariantsOnOneCpu() {
    Map<Abi, OpMeter> meters = new EnumMap<>(Abi.class);
    StringBuilder report = new StringBuilder("slab microbenchmark, zen5, 1 CPU, 1 thread, "
        + OPS + " ops:\n");
    for (Abi abi : Abi.values()) {
      Machine m = WorkloadMachines.machine(1, RseqIdUpdatePolicy.LEGACY);
      WorkloadImage img = WorkloadImage.build(WorkloadMachines.slab(4, 32, 1024, 8), abi,
          WorkloadImage.Options.of(1, 1, 1, OPS, m.frequencyHz()));
      WorkloadRun run = WorkloadRun.start(m, img, "bench", null);
      m.runFor(Ticks.fromMillis(50));
      assertEquals(OPS, run.opsDone());
      OpMeter o = run.meter();
      meters.put(abi, o);
      report.append(String.format(Locale.ROOT,
          "  %-16s cycles/op %.2f (p50 %d, p99 %d), instructions/op %.2f, loads/op %.2f,"
              + " fast-path cycles/op %.2f%n",
          abi.spelling(), o.cyclesPerOpMean(), o.cyclesPerOpPercentile(50),
          o.cyclesPerOpPercentile(99), o.instructionsPerOp(), o.loadsPerOp(),
          (double) o.userCycles(OpMeter.UserCycles.FAST_PATH) / o.ops()));
    }
    System.out.print(report);
    OpMeter cpu = meters.get(Abi.RSEQ_CPU);
    OpMeter cid = meters.get(Abi.RSEQ_MM_CID);
    OpMeter cached = meters.get(Abi.RSEQ_CPU_CACHED);
    OpMeter gs = meters.get(Abi.GS_MM_CID);
    assertTrue(gs.instructionsPerOp() < cpu.instructionsPerOp() - 2, report.toString());
    assertTrue(gs.loadsPerOp() < cpu.loadsPerOp() - 1.5, report.toString());
    assertEquals(cpu.instructionsPerOp(), cid.instructionsPerOp(), 0.01, report.toString());
    assertTrue(cached.loadsPerOp() < cpu.loadsPerOp() - 1.5, report.toString());
  }
}
