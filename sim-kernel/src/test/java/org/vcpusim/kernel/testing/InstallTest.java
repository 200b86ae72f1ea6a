package org.vcpusim.kernel.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.rseq.RseqConfig;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.syscall.SyscallNumbers;

/** The three install calls register exactly the documented syscalls and steps, in order. */
class InstallTest {
  @Test
  void installWiresSyscallsAndSteps() {
    KernelFixture f = new KernelFixture(2, 1, RseqConfig.of(RseqIdUpdatePolicy.ON_CHANGE, 1, 1));
    assertArrayEquals(new int[] {
      SyscallNumbers.RT_SIGACTION, SyscallNumbers.RT_SIGPROCMASK, SyscallNumbers.RT_SIGRETURN,
      SyscallNumbers.KILL, SyscallNumbers.TGKILL, SyscallNumbers.MEMBARRIER, SyscallNumbers.RSEQ
    }, f.table.numbers());
    assertEquals("rseq", f.table.name(SyscallNumbers.RSEQ));
    assertEquals("membarrier", f.table.name(SyscallNumbers.MEMBARRIER));
    assertEquals("rt_sigreturn", f.table.name(SyscallNumbers.RT_SIGRETURN));
    assertSame(f.rseq.syscall(), f.table.handler(SyscallNumbers.RSEQ));
    assertSame(f.membarrier, f.table.handler(SyscallNumbers.MEMBARRIER));
    assertEquals(List.of(f.signals.delivery()),
        f.returnToUser.steps(ReturnToUser.Stage.SIGNAL_DELIVERY));
    assertEquals(List.of(f.rseq.csFixup()),
        f.returnToUser.steps(ReturnToUser.Stage.RSEQ_CS_FIXUP));
    assertEquals(List.of(f.rseq.idUpdate()),
        f.returnToUser.steps(ReturnToUser.Stage.RSEQ_ID_UPDATE));
    assertEquals(List.of(), f.returnToUser.steps(ReturnToUser.Stage.EXTENSION));
  }
}
