package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vcpusim.kernel.machine.TestMachines.asm;
import static org.vcpusim.kernel.machine.TestMachines.machine;
import static org.vcpusim.kernel.machine.TestMachines.read;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.gsmode.GsConflictPolicy;
import org.vcpusim.kernel.gsmode.GsModeConfig;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.task.Process;

/**
 * {@code arch_prctl} for the FS and GS bases (kernel.md §5.2) and its interplay with the GS mode:
 * EBUSY in both directions under {@link GsConflictPolicy#REFUSE}, the silent overwrite under
 * {@link GsConflictPolicy#OVERWRITE}, and a user {@code wrgsbase} lasting only until the next
 * return to user. The program pins itself to CPU 2 so that its cid (the CPU number) is known.
 */
class ArchPrctlTest {
  static final long EPERM = Errno.fail(Errno.EPERM);
  static final long EINVAL = Errno.fail(Errno.EINVAL);
  static final long EFAULT = Errno.fail(Errno.EFAULT);
  static final long EBUSY = Errno.fail(Errno.EBUSY);
  static final long ORIGIN = 0x20000000L;
  static final long STRIDE = 0x10000L;
  static final long LIB = 0x30000000L;
  static final int CPU = 2;

  /** Runs {@code body} (after a 16-slot {@code out} array and the mode struct) in one process. */
  static long[] run(String body, GsConflictPolicy policy) {
    String src = GsPrograms.program(
        "  .balign 8\n"
            + "mode: .long 1, 0\n"
            + "  .quad " + STRIDE + ", " + ORIGIN + "\n"
            + "off: .quad 0, 0, 0\n"
            + "out: .quad -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1\n"
            + "word: .quad -1\n",
        body);
    Machine m = machine(4, b -> b.gsMode(GsModeConfig.defaults().withConflictPolicy(policy)));
    AssembledProgram prog = asm(src);
    Process p = m.spawnProcess("arch", prog,
        ProcessOptions.defaults().withAffinity(org.vcpusim.kernel.topology.CpuMask.of(CPU)));
    assertEquals(RunOutcome.ALL_EXITED, m.runFor(Ticks.fromMillis(1)));
    assertEquals(List.of(), m.findings());
    long[] out = new long[16 + 3];
    for (int i = 0; i < 16; i++) {
      out[i] = read(p, prog.address("out") + 8L * i, 8);
    }
    out[16] = m.stats().counter("gs_mode.overwritten").value();
    out[17] = m.stats().counter("gs_mode.reasserted").value();
    out[18] = m.stats().counter("gs_mode.arch_set_gs_refused").value();
    return out;
  }

  static String store(int slot) {
    return "  mov %rax, out+" + (8 * slot) + "(%rip)\n";
  }

  @Test
  void setAndGetTheBasesWithTheKernelsLimits() {
    String body = GsPrograms.archPrctl("ARCH_SET_FS", "$0x12345000") + store(0)
        + "  lea word(%rip), %rsi\n  mov $ARCH_GET_FS, %edi\n  mov $158, %eax\n  syscall\n"
        + store(1)
        + "  mov word(%rip), %rax\n" + store(2)
        + "  rdfsbase %rax\n" + store(3)
        + GsPrograms.archPrctl("ARCH_SET_GS", "$0x7fffffffefff") + store(4)
        + "  rdgsbase %rax\n" + store(5)
        + GsPrograms.archPrctl("ARCH_SET_GS", "$0x7ffffffff000") + store(6)
        + GsPrograms.archPrctl("ARCH_SET_FS", "$0x7ffffffff000") + store(7)
        + GsPrograms.archPrctl("ARCH_SET_GS", "$-1") + store(8)
        + "  lea word(%rip), %rsi\n  mov $ARCH_GET_GS, %edi\n  mov $158, %eax\n  syscall\n"
        + store(9)
        + "  mov word(%rip), %rax\n" + store(10)
        + GsPrograms.archPrctl("ARCH_GET_GS", "$0") + store(11)
        + GsPrograms.archPrctl("0x1005", "$0") + store(12)
        + GsPrograms.archPrctl("ARCH_SET_GS", "$0") + store(13)
        + "  rdgsbase %rax\n" + store(14)
        // The FS write went to a thread pointer glibc needs: put it back for the exit path.
        + "  rdfsbase %rax\n" + store(15);
    long[] out = run(body, GsConflictPolicy.REFUSE);
    long[] want = {0, 0, 0x12345000L, 0x12345000L, 0, 0x7fffffffefffL, EPERM, EPERM, EPERM, 0,
        0x7fffffffefffL, EFAULT, EINVAL, 0, 0, 0x12345000L};
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < want.length; i++) {
      if (out[i] != want[i]) {
        wrong.add("slot " + i + ": got " + Long.toHexString(out[i]) + ", want "
            + Long.toHexString(want[i]));
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void underRefuseArchSetGsAndTheModeExcludeEachOther() {
    String body = GsPrograms.archPrctl("ARCH_SET_GS", "$" + LIB) + store(0)
        + GsPrograms.prctl("PT_SET_GS_MODE", "mode") + store(1) // EBUSY: GS is owned
        + GsPrograms.archPrctl("ARCH_SET_GS", "$0") + store(2) // give it up
        + GsPrograms.prctl("PT_SET_GS_MODE", "mode") + store(3)
        + "  rdgsbase %rax\n" + store(4)
        + GsPrograms.archPrctl("ARCH_SET_GS", "$" + LIB) + store(5) // EBUSY: the mode is on
        + "  rdgsbase %rax\n" + store(6)
        + GsPrograms.prctl("PT_SET_GS_MODE", "off") + store(7)
        + GsPrograms.archPrctl("ARCH_SET_GS", "$" + LIB) + store(8)
        + "  rdgsbase %rax\n" + store(9);
    long[] out = run(body, GsConflictPolicy.REFUSE);
    long populated = ORIGIN + STRIDE * CPU;
    assertEquals(0, out[0]);
    assertEquals(EBUSY, out[1]);
    assertEquals(0, out[2]);
    assertEquals(0, out[3]);
    assertEquals(populated, out[4]);
    assertEquals(EBUSY, out[5]);
    assertEquals(populated, out[6], "the refused call left the base alone");
    assertEquals(0, out[7]);
    assertEquals(0, out[8]);
    assertEquals(LIB, out[9], "with the mode off the library owns GS again");
    assertEquals(1, out[18]);
    assertEquals(0, out[16]);
  }

  @Test
  void underOverwriteArchSetGsSucceedsAndIsSilentlyReplacedOnItsOwnReturn() {
    String body = GsPrograms.prctl("PT_SET_GS_MODE", "mode") + store(0)
        + GsPrograms.archPrctl("ARCH_SET_GS", "$" + LIB) + store(1)
        + "  rdgsbase %rax\n" + store(2)
        + "  lea word(%rip), %rsi\n  mov $ARCH_GET_GS, %edi\n  mov $158, %eax\n  syscall\n"
        + "  mov word(%rip), %rax\n" + store(3)
        + GsPrograms.prctl("PT_SET_GS_MODE", "mode") + store(4); // EBUSY: the task owns GS
    long[] out = run(body, GsConflictPolicy.OVERWRITE);
    long populated = ORIGIN + STRIDE * CPU;
    assertEquals(0, out[0]);
    assertEquals(0, out[1], "OVERWRITE lets the call succeed");
    assertEquals(populated, out[2], "and the return from it puts the mode's base back");
    assertEquals(populated, out[3]);
    assertEquals(Errno.fail(Errno.EBUSY), out[4]);
    assertEquals(1, out[16], "gs_mode.overwritten");
    assertEquals(0, out[18]);
  }

  @Test
  void aUserWrgsbaseLastsUntilTheNextReturnToUser() {
    String body = GsPrograms.prctl("PT_SET_GS_MODE", "mode") + store(0)
        + "  mov $" + LIB + ", %rax\n"
        + "  wrgsbase %rax\n"
        + "  rdgsbase %rax\n" + store(1)
        + "  mov $39, %eax\n  syscall\n" // getpid: a return to user
        + "  rdgsbase %rax\n" + store(2);
    long[] out = run(body, GsConflictPolicy.REFUSE);
    assertEquals(0, out[0]);
    assertEquals(LIB, out[1]);
    assertEquals(ORIGIN + STRIDE * CPU, out[2]);
    assertEquals(1, out[17], "gs_mode.reasserted");
    assertEquals(0, out[16]);
  }
}
