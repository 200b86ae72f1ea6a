package org.vcpusim.kernel.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.check.CheckFixtures.findings;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.machine.Finding;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.ParamTestCounterTest;
import org.vcpusim.kernel.machine.ProcessOptions;
import org.vcpusim.kernel.machine.RseqPrograms;
import org.vcpusim.kernel.machine.RunOutcome;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * {@link PerIdRegionChecker}: per-CPU counters incremented in rseq critical sections pass, aborts
 * included; the same sections on one shared counter, plain increments from two CPUs, and a plain
 * store under another CPU's open section are lost updates; the kernel selftest program passes.
 */
class PerIdRegionCheckerTest {
  /** The per-CPU increment of the rseq tests, with a thread body {@code worker(reps)}. */
  private static String program(String increment) {
    return RseqPrograms.prologue()
        + "  .data\n"
        + "  .balign 64\n"
        + "counters: .zero 512\n"
        + "aborts_seen: .quad 0\n"
        + "  .text\n"
        + "  .globl main\n"
        + "main:\n"
        + "  xor %edi, %edi\n"
        + "  mov $60, %eax\n"
        + "  syscall\n"
        + "  .globl worker\n"
        + "worker:\n"
        + "  mov %rdi, %r14\n"
        + "  mov __rseq_offset(%rip), %r12\n"
        + "  xor %ebp, %ebp\n"
        + "loop:\n"
        + increment
        + "  inc %rbp\n"
        + "  cmp %r14, %rbp\n"
        + "  jb loop\n"
        + "  xor %eax, %eax\n"
        + "  ret\n"
        + RseqPrograms.abortHandler("inc")
        + "  .globl plain\n"
        + "plain:\n" // counters[0] += 1 without rseq, rdi times
        + "  mov %rdi, %r14\n"
        + "  xor %ebp, %ebp\n"
        + "  lea counters(%rip), %rdx\n"
        + "1:\n"
        + "  mov (%rdx), %rax\n"
        + "  add $1, %rax\n"
        + "  mov %rax, (%rdx)\n"
        + "  inc %rbp\n"
        + "  cmp %r14, %rbp\n"
        + "  jb 1b\n"
        + "  xor %eax, %eax\n"
        + "  ret\n"
        + "  .globl blind\n"
        + "blind:\n" // counters[0] = 0 without reading it, rdi times
        + "  mov %rdi, %r14\n"
        + "  xor %ebp, %ebp\n"
        + "2:\n"
        + "  movq $0, counters(%rip)\n"
        + "  inc %rbp\n"
        + "  cmp %r14, %rbp\n"
        + "  jb 2b\n"
        + "  xor %eax, %eax\n"
        + "  ret\n";
  }

  private static final AssembledProgram PER_CPU = asm(program(RseqPrograms.increment("inc")));
  /** Bytes from {@code blind}: it is the last routine of the text and shorter than this. */
  private static final long BLIND_BYTES = 64;
  /** Every section increments counters[0]: the index is the constant 0, not cpu_id. */
  private static final AssembledProgram SHARED = asm(program(RseqPrograms.increment("inc")
      .replace("  mov %fs:RSEQ_CPU_ID(%r12), %ecx\n", "  xor %ecx, %ecx\n")));

  /**
   * A machine with ParamTestCounterTest's 10 µs tick (many preemptions, so many aborts) running
   * {@code prog}, its counters declared as per-CPU regions.
   */
  private static Machine machineWithCounters(int cpus, AssembledProgram prog, Process[] out) {
    Machine m = machine(cpus, b -> b.sched(ParamTestCounterTest.paramSched()));
    Process p = m.spawnProcess("regions", prog, ProcessOptions.defaults().withEntry("main"));
    m.checkers().declareRegions(p.pid(), new PerIdRegions("counters", prog.address("counters"), 8,
        cpus, PerIdRegions.Index.CPU_ID));
    out[0] = p;
    return m;
  }

  private static long sum(Process p, AssembledProgram prog, int cpus) {
    long s = 0;
    for (int cpu = 0; cpu < cpus; cpu++) {
      s += read(p, prog.address("counters") + 8L * cpu, 8);
    }
    return s;
  }

  @Test
  void perCpuIncrementsInRseqPassAbortsIncluded() {
    Process[] p = new Process[1];
    Machine m = machineWithCounters(2, PER_CPU, p);
    int threads = 6;
    int reps = 5000;
    for (int i = 0; i < threads; i++) {
      m.spawnThread(p[0], "worker", new long[] {reps}, null, "w" + i);
    }
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    assertTrue(m.rseq().totalAborts() > 0, "a run without aborts proves nothing here");
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertEquals(0, m.checkers().violations(CheckKind.PER_ID_REGION));
    assertEquals((long) threads * reps, sum(p[0], PER_CPU, 2));
  }

  @Test
  void rseqSectionsThatAllCommitToRegionZeroFromTwoCpusAreLostUpdates() {
    Process[] p = new Process[1];
    Machine m = machineWithCounters(2, SHARED, p);
    m.spawnThread(p[0], "worker", new long[] {2000}, CpuMask.of(0), "w0");
    m.spawnThread(p[0], "worker", new long[] {2000}, CpuMask.of(1), "w1");
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    List<Finding> f = findings(m, CheckKind.PER_ID_REGION);
    assertFalse(f.isEmpty(), "counters[0] ended at " + read(p[0], SHARED.address("counters"), 8));
    String msg = f.get(0).message();
    assertTrue(msg.matches("per_id_region: lost update on counters\\[0\\] \\(cpu_id 0, 0x[0-9a-f]+"
        + "\\.\\.0x[0-9a-f]+\\): task \\d+ \\(w\\d, pid 1\\) committed its rseq critical section "
        + "\\[0x[0-9a-f]+, 0x[0-9a-f]+\\) on cpu (\\d) at \\d+ ps, which first touched the region"
        + " at \\d+ ps, but task \\d+ on cpu (?!\\1)\\d at \\d+ ps wrote it in between"), msg);
    assertTrue(m.checkers().violations(CheckKind.PER_ID_REGION) > Checkers.FINDINGS_PER_KIND);
  }

  @Test
  void plainIncrementsFromTwoCpusAreLostUpdates() {
    Process[] p = new Process[1];
    Machine m = machineWithCounters(2, PER_CPU, p);
    m.spawnThread(p[0], "plain", new long[] {2000}, CpuMask.of(0), "p0");
    m.spawnThread(p[0], "plain", new long[] {2000}, CpuMask.of(1), "p1");
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    List<Finding> f = findings(m, CheckKind.PER_ID_REGION);
    assertFalse(f.isEmpty(), m.findings().toString());
    assertTrue(f.get(0).message().contains("outside any rseq critical section"),
        f.get(0).message());
    assertTrue(read(p[0], PER_CPU.address("counters"), 8) < 4000,
        "the simulated memory lost updates too");
  }

  @Test
  void plainIncrementsFromOneThreadPass() {
    Process[] p = new Process[1];
    Machine m = machineWithCounters(2, PER_CPU, p);
    m.spawnThread(p[0], "plain", new long[] {2000}, null, "p0");
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertEquals(2000, read(p[0], PER_CPU.address("counters"), 8));
  }

  @Test
  void aPlainStoreUnderAnotherCpusOpenSectionIsCaughtAtItsCommit() {
    Process[] p = new Process[1];
    Machine m = machineWithCounters(2, PER_CPU, p);
    m.spawnThread(p[0], "worker", new long[] {3000}, CpuMask.of(0), "w0");
    // The blind stores outlast the increments, which start after main has left CPU 0.
    m.spawnThread(p[0], "blind", new long[] {100_000}, CpuMask.of(1), "b1");
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    List<Finding> f = findings(m, CheckKind.PER_ID_REGION);
    assertFalse(f.isEmpty(), m.findings().toString());
    assertTrue(f.get(0).message().contains("committed its rseq critical section"),
        f.get(0).message());
    assertTrue(f.get(0).message().contains("on cpu 1"), f.get(0).message());
  }

  @Test
  void remoteStopCodeIsNeitherValidatedNorCounted() {
    // the same run as aPlainStoreUnderAnotherCpusOpenSectionIsCaughtAtItsCommit, with the blind
    // stores declared as remote-stop code: no finding, though they land under open sections
    Machine m = machine(2, b -> b.sched(ParamTestCounterTest.paramSched()));
    Process p = m.spawnProcess("regions", PER_CPU, ProcessOptions.defaults().withEntry("main"));
    m.checkers().declareRegions(p.pid(), new PerIdRegions("counters", PER_CPU.address("counters"),
        8, 2, PerIdRegions.Index.CPU_ID).withStopCode(PER_CPU.address("blind"),
        PER_CPU.address("blind") + BLIND_BYTES));
    m.spawnThread(p, "worker", new long[] {3000}, CpuMask.of(0), "w0");
    m.spawnThread(p, "blind", new long[] {100_000}, CpuMask.of(1), "b1");
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(1)));
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertEquals(0, m.checkers().violations(CheckKind.PER_ID_REGION));
  }

  @Test
  void overlappingDeclarationsAreRejected() {
    Process[] p = new Process[1];
    Machine m = machineWithCounters(2, PER_CPU, p);
    long base = PER_CPU.address("counters");
    assertThrows(IllegalArgumentException.class, () -> m.checkers().declareRegions(p[0].pid(),
        new PerIdRegions("again", base + 8, 8, 2, PerIdRegions.Index.MM_CID)));
  }

  /**
   * The kernel selftest program of {@link ParamTestCounterTest} (preemption, yields, signals,
   * membarrier fences, thousands of aborts) with its counters declared: no false positive. Size:
   * {@code -Dvcpusim.regioncheck.threads} (16), {@code .cpus} (8), {@code .reps} (3000).
   */
  @Test
  void theParamTestProgramPassesWithItsCountersDeclared() {
    int threads = Integer.getInteger("vcpusim.regioncheck.threads", 16);
    int cpus = Integer.getInteger("vcpusim.regioncheck.cpus", 8);
    int reps = Integer.getInteger("vcpusim.regioncheck.reps", 3000);
    long wallStart = System.nanoTime();
    AssembledProgram prog = asm(ParamTestCounterTest.PROGRAM);
    Machine m = machine(cpus, b -> b.sched(ParamTestCounterTest.paramSched()));
    Process p = m.spawnProcess("param_test", prog, ProcessOptions.defaults().withEntry("main"));
    m.checkers().declareRegions(p.pid(), new PerIdRegions("counters", prog.address("counters"), 8,
        cpus, PerIdRegions.Index.CPU_ID));
    int firstTid = p.pid() + 1;
    for (int i = 0; i < threads; i++) {
      m.spawnThread(p, "worker", new long[] {i, reps, firstTid, threads}, null, "w" + i);
    }
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromSeconds(2)));
    System.out.println(String.format(Locale.ROOT,
        "region check on param_test: %d threads x %d reps on %d CPUs, aborts %d, findings %d,"
            + " wall %.1f s", threads, reps, cpus, m.rseq().totalAborts(), m.findings().size(),
        (System.nanoTime() - wallStart) / 1e9));
    assertTrue(m.rseq().totalAborts() > 0);
    assertTrue(m.findings().isEmpty(), m.findings().toString());
    assertEquals((long) threads * reps, sum(p, prog, cpus));
  }
}
