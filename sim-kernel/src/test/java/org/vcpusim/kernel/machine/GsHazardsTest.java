package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.gsmode.GsConflictPolicy;
import org.vcpusim.kernel.gsmode.GsModeConfig;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * The hazards docs/abi.md names: an origin of 0 (the 2022 proposal's {@code stride * id}), and a
 * library that uses GS for itself, through {@code arch_prctl(ARCH_SET_GS)} under {@link
 * GsConflictPolicy#OVERWRITE} or through {@code wrgsbase}; and the checker's stride rule.
 */
class GsHazardsTest {
  static final long MAGIC_PERCPU = 0x2222;
  static final long MAGIC_LIB = 0x1111;

  /** Per-vCPU pages (stride 4096, origin {@code percpu}) and a library's own GS page. */
  static String program(String body) {
    return GsPrograms.program(
        "  .balign 4096\n"
            + "percpu: .zero 16384\n"
            + "libdata: .quad " + MAGIC_LIB + "\n"
            + "  .balign 8\n"
            + "mode: .long 1, 0\n"
            + "  .quad 4096, percpu\n"
            + "zero_origin: .long 1, 0\n"
            + "  .quad 4096, 0\n"
            + "out: .quad -1, -1, -1, -1\n",
        body);
  }

  static Machine run(String body, GsModeConfig config, Process[] out) {
    Machine m = machine(4, b -> b.gsMode(config));
    AssembledProgram prog = asm(program(body));
    out[0] = m.spawnProcess("lib", prog, ProcessOptions.defaults().withAffinity(CpuMask.of(0)));
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
    return m;
  }

  static final String ORIGIN_ZERO = GsPrograms.prctl("PT_SET_GS_MODE", "zero_origin")
      + "  mov %rax, out(%rip)\n"
      + "  test %rax, %rax\n"
      + "  jnz 1f\n"
      + "  mov %gs:8, %rax\n" // cid 0 (CPU 0): base 0, address 8
      + "  mov %rax, out+8(%rip)\n"
      + "1:\n";

  @Test
  void originZeroPutsCidZerosDataAtAddressZeroWhereAccessesFault() {
    Process[] p = new Process[1];
    Machine m = run(ORIGIN_ZERO, GsModeConfig.defaults().withOriginCheck(false), p);
    assertEquals(0, read(p[0], "out", 8), "with the check off the kernel accepts origin 0");
    assertEquals(1, m.findings().size(), m.findings().toString());
    String message = m.findings().get(0).message();
    assertEquals(Finding.Kind.FATAL_SIGNAL, m.findings().get(0).kind());
    assertTrue(message.startsWith("SIGSEGV") && message.contains("fault address 0x8 "), message);

    Machine checked = run(ORIGIN_ZERO, GsModeConfig.defaults(), p);
    assertEquals(Errno.fail(Errno.EINVAL), read(p[0], "out", 8), "the default check refuses it");
    assertEquals(List.of(), checked.findings());
  }

  /** The allocator stores per-vCPU data; a library then takes GS and reads "its" word. */
  static final String LIBRARY_ARCH_SET_GS = GsPrograms.prctl("PT_SET_GS_MODE", "mode")
      + "  movq $" + MAGIC_PERCPU + ", %gs:0\n"
      + "  lea libdata(%rip), %rax\n"
      + GsPrograms.archPrctl("ARCH_SET_GS", "%rax")
      + "  mov %rax, out(%rip)\n"
      + "  mov %gs:0, %rax\n"
      + "  mov %rax, out+8(%rip)\n";

  @Test
  void aLibraryWhoseArchSetGsIsOverwrittenReadsPerVcpuDataAndTheCheckerSaysSo() {
    Process[] p = new Process[1];
    Machine m = run(LIBRARY_ARCH_SET_GS,
        GsModeConfig.defaults().withConflictPolicy(GsConflictPolicy.OVERWRITE), p);
    assertEquals(0, read(p[0], "out", 8), "OVERWRITE lets arch_prctl succeed");
    assertEquals(MAGIC_PERCPU, out(p[0], 1),
        "the library read per-vCPU data instead of its own word");
    assertEquals(1, m.stats().counter("gs_mode.overwritten").value());
    assertEquals(1, m.findings().size(), m.findings().toString());
    Finding f = m.findings().get(0);
    assertEquals(Finding.Kind.CHECK_VIOLATION, f.kind());
    assertTrue(f.message().contains("redirected") && f.message().contains("arch_prctl"),
        f.message());
    assertEquals(p[0].pid(), f.tid());
    assertEquals(0, f.cpu());
  }

  static long out(Process p, int slot) {
    return read(p, p.program().program().address("out") + 8L * slot, 8);
  }

  /**
   * A library writes GS with {@code wrgsbase} and reads its word: first its own (an access outside
   * the stride, until the next return to user), then, after a system call, per-vCPU data.
   */
  static final String LIBRARY_WRGSBASE = GsPrograms.prctl("PT_SET_GS_MODE", "mode")
      + "  movq $" + MAGIC_PERCPU + ", %gs:0\n"
      + "  lea libdata(%rip), %rax\n"
      + "  wrgsbase %rax\n"
      + "  mov %gs:0, %rax\n"
      + "  mov %rax, out(%rip)\n"
      + "  mov $39, %eax\n"
      + "  syscall\n"
      + "  mov %gs:0, %rax\n"
      + "  mov %rax, out+8(%rip)\n";

  @Test
  void aLibraryUsingWrgsbaseIsCaughtInItsWindowAndAfterTheKernelReassertsGs() {
    Process[] p = new Process[1];
    Machine m = run(LIBRARY_WRGSBASE, GsModeConfig.defaults(), p);
    assertEquals(MAGIC_LIB, out(p[0], 0), "until the next return to user GS is the library's");
    assertEquals(MAGIC_PERCPU, out(p[0], 1), "then the kernel has put the mode's base back");
    assertEquals(1, m.stats().counter("gs_mode.reasserted").value());
    assertEquals(2, m.findings().size(), m.findings().toString());
    assertTrue(m.findings().get(0).message().contains("outside the stride"),
        m.findings().get(0).message());
    assertTrue(m.findings().get(1).message().contains("redirected")
        && m.findings().get(1).message().contains("wrgsbase"), m.findings().get(1).message());
  }

  /** Correct per-vCPU accesses, then one a stride too far (into the next cid's region). */
  static final String STRIDE_OVERRUN = GsPrograms.prctl("PT_SET_GS_MODE", "mode")
      + "  mov $100, %ecx\n"
      + "1: incq %gs:0\n"
      + "  incq %gs:4088\n"
      + "  dec %ecx\n"
      + "  jnz 1b\n"
      + "  movl $1, %gs:4094\n"
      + "  incq %gs:4096\n";

  @Test
  void theCheckerAcceptsAccessesInsideTheStrideAndReportsOnesBeyondIt() {
    Process[] p = new Process[1];
    Machine m = run(STRIDE_OVERRUN, GsModeConfig.defaults(), p);
    assertEquals(3, m.stats().counter("gs_mode.check_violations").value(),
        "the 4-byte store straddling the end, and the load and the store of the increment past it");
    assertEquals(1, m.findings().size(), "one finding per task and base: " + m.findings());
    Finding f = m.findings().get(0);
    assertEquals(Finding.Kind.CHECK_VIOLATION, f.kind());
    long percpu = p[0].program().program().address("percpu");
    assertTrue(f.message().contains(String.format(java.util.Locale.ROOT,
        "at %#x", percpu + 4094)), f.message());
    assertTrue(f.message().contains("cid 0"), f.message());

    Machine off = run(STRIDE_OVERRUN, GsModeConfig.defaults().withAccessChecker(false), p);
    assertEquals(List.of(), off.findings(), "the checker can be turned off");
  }
}
