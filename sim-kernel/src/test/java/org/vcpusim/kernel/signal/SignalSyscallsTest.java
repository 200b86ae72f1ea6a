package org.vcpusim.kernel.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.kernel.signal.SignalNumbers.SIGUSR1;
import static org.vcpusim.kernel.signal.SignalNumbers.bit;
import static org.vcpusim.kernel.testing.KernelFixture.u64;

import org.junit.jupiter.api.Test;
import org.vcpusim.kernel.rseq.RseqConfig;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;
import org.vcpusim.kernel.testing.KernelFixture;

/** Argument checks and errors of rt_sigaction, rt_sigprocmask, kill and tgkill. */
class SignalSyscallsTest {
  private static final long EINVAL = Errno.fail(Errno.EINVAL);
  private static final long EFAULT = Errno.fail(Errno.EFAULT);
  private static final long ESRCH = Errno.fail(Errno.ESRCH);
  private static final long ACT = KernelFixture.DATA + 0x200;
  private static final long OACT = KernelFixture.DATA + 0x240;
  private static final long SET = KernelFixture.DATA + 0x300;
  private static final long OSET = KernelFixture.DATA + 0x308;
  private static final long UNMAPPED = 0x5000_0000L;

  private static KernelFixture fixture() {
    return new KernelFixture(4, 2, RseqConfig.of(RseqIdUpdatePolicy.LEGACY, 1, 1));
  }

  @Test
  void rtSigactionChecks() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    int nr = SyscallNumbers.RT_SIGACTION;
    KernelFixture.putU64(t, ACT, KernelFixture.HANDLER);
    KernelFixture.putU64(t, ACT + 8, SignalNumbers.SA_RESTORER | SignalNumbers.SA_SIGINFO);
    KernelFixture.putU64(t, ACT + 16, KernelFixture.RESTORER);
    KernelFixture.putU64(t, ACT + 24, bit(SignalNumbers.SIGKILL) | bit(SignalNumbers.SIGUSR2));
    assertEquals(EINVAL, f.syscall(t, nr, SIGUSR1, ACT, 0, 4), "sigsetsize 4");
    assertEquals(EINVAL, f.syscall(t, nr, SIGUSR1, ACT, 0, 16), "sigsetsize 16");
    assertEquals(EFAULT, f.syscall(t, nr, SIGUSR1, UNMAPPED, 0, 8), "act unreadable");
    assertEquals(EINVAL, f.syscall(t, nr, 0, ACT, 0, 8), "signal 0");
    assertEquals(EINVAL, f.syscall(t, nr, 65, ACT, 0, 8), "signal 65");
    assertEquals(EINVAL, f.syscall(t, nr, SignalNumbers.SIGKILL, ACT, 0, 8), "SIGKILL");
    assertEquals(EINVAL, f.syscall(t, nr, SignalNumbers.SIGSTOP, ACT, 0, 8), "SIGSTOP");
    assertEquals(0, f.syscall(t, nr, SignalNumbers.SIGKILL, 0, OACT, 8), "query SIGKILL is fine");
    assertEquals(0, f.syscall(t, nr, SIGUSR1, ACT, 0, 8));
    assertEquals(KernelFixture.HANDLER, f.signals.handler(t.process(), SIGUSR1));
    assertEquals(bit(SignalNumbers.SIGUSR2), f.signals.mask(t.process(), SIGUSR1),
        "SIGKILL removed from sa_mask");
    assertEquals(0, f.syscall(t, nr, SIGUSR1, 0, OACT, 8));
    assertEquals(KernelFixture.HANDLER, u64(t, OACT));
    assertEquals(SignalNumbers.SA_RESTORER | SignalNumbers.SA_SIGINFO, u64(t, OACT + 8));
    assertEquals(KernelFixture.RESTORER, u64(t, OACT + 16));
    assertEquals(bit(SignalNumbers.SIGUSR2), u64(t, OACT + 24));
    assertEquals(EFAULT, f.syscall(t, nr, SIGUSR1, 0, UNMAPPED, 8), "oact unwritable");
    // A thread of the same process sees the same table; a forked child a copy.
    Task thread = f.thread(t, "t", 1);
    assertEquals(KernelFixture.HANDLER, f.signals.handler(thread.process(), SIGUSR1));
    Task child = f.kernel.fork(t);
    f.signals.onClone(t, child, true);
    assertEquals(KernelFixture.HANDLER, f.signals.handler(child.process(), SIGUSR1));
    f.signals.onExec(child);
    assertEquals(SignalNumbers.SIG_DFL, f.signals.handler(child.process(), SIGUSR1));
    assertEquals(KernelFixture.HANDLER, f.signals.handler(t.process(), SIGUSR1));
  }

  @Test
  void ignoringAPendingSignalDiscardsIt() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    f.signals.setBlocked(t, bit(SIGUSR1));
    f.syscall(t, SyscallNumbers.TGKILL, t.process().pid(), t.tid(), SIGUSR1);
    assertEquals(bit(SIGUSR1), f.signals.pending(t.tid()));
    KernelFixture.putU64(t, ACT, SignalNumbers.SIG_IGN);
    KernelFixture.putU64(t, ACT + 8, 0);
    KernelFixture.putU64(t, ACT + 16, 0);
    KernelFixture.putU64(t, ACT + 24, 0);
    assertEquals(0, f.syscall(t, SyscallNumbers.RT_SIGACTION, SIGUSR1, ACT, 0, 8));
    assertEquals(0, f.signals.pending(t.tid()));
  }

  @Test
  void rtSigprocmaskChecks() {
    KernelFixture f = fixture();
    Task t = f.process("p", 0);
    int nr = SyscallNumbers.RT_SIGPROCMASK;
    KernelFixture.putU64(t, SET, bit(SIGUSR1) | bit(SignalNumbers.SIGKILL)
        | bit(SignalNumbers.SIGSTOP));
    assertEquals(EINVAL, f.syscall(t, nr, SignalNumbers.SIG_BLOCK, SET, 0, 4));
    assertEquals(EFAULT, f.syscall(t, nr, SignalNumbers.SIG_BLOCK, UNMAPPED, 0, 8));
    assertEquals(EINVAL, f.syscall(t, nr, 3, SET, 0, 8), "bad how");
    assertEquals(0, f.syscall(t, nr, 3, 0, OSET, 8), "how is not checked without a set");
    assertEquals(0, f.syscall(t, nr, SignalNumbers.SIG_BLOCK, SET, 0, 8));
    assertEquals(bit(SIGUSR1), f.signals.blocked(t.tid()), "SIGKILL and SIGSTOP never blocked");
    KernelFixture.putU64(t, SET, bit(SignalNumbers.SIGUSR2));
    assertEquals(0, f.syscall(t, nr, SignalNumbers.SIG_SETMASK, SET, OSET, 8));
    assertEquals(bit(SIGUSR1), u64(t, OSET));
    assertEquals(bit(SignalNumbers.SIGUSR2), f.signals.blocked(t.tid()));
    assertEquals(0, f.syscall(t, nr, SignalNumbers.SIG_UNBLOCK, SET, 0, 8));
    assertEquals(0, f.signals.blocked(t.tid()));
    assertEquals(EFAULT, f.syscall(t, nr, SignalNumbers.SIG_BLOCK, SET, UNMAPPED, 8));
    assertEquals(bit(SignalNumbers.SIGUSR2), f.signals.blocked(t.tid()),
        "the new mask is set before oset is written");
  }

  @Test
  void killChecks() {
    KernelFixture f = fixture();
    Task a = f.process("a", 0);
    Task b = f.process("b", 1);
    int nr = SyscallNumbers.KILL;
    assertEquals(ESRCH, f.syscall(a, nr, 99, SIGUSR1), "no such pid");
    assertEquals(ESRCH, f.syscall(a, nr, 99, 65), "ESRCH before EINVAL");
    assertEquals(EINVAL, f.syscall(a, nr, b.process().pid(), 65));
    assertEquals(EINVAL, f.syscall(a, nr, b.process().pid(), -1));
    assertEquals(0, f.syscall(a, nr, b.process().pid(), 0), "signal 0 only checks");
    assertEquals(0, f.signals.sharedPending(b.process()));
    assertEquals(ESRCH, f.syscall(a, nr, Integer.MIN_VALUE, SIGUSR1));
    // kill(-1): every other process.
    f.signals.setBlocked(b, bit(SIGUSR1));
    assertEquals(0, f.syscall(a, nr, -1, SIGUSR1));
    assertEquals(bit(SIGUSR1), f.signals.sharedPending(b.process()));
    assertEquals(0, f.signals.sharedPending(a.process()));
    // kill(0): the caller's process group (each unforked process leads its own).
    f.signals.setBlocked(a, bit(SignalNumbers.SIGUSR2));
    assertEquals(0, f.syscall(a, nr, 0, SignalNumbers.SIGUSR2));
    assertEquals(bit(SignalNumbers.SIGUSR2), f.signals.sharedPending(a.process()));
    assertEquals(bit(SIGUSR1), f.signals.sharedPending(b.process()));
    // kill(-pgid) of a group with a forked member reaches both.
    Task child = f.kernel.fork(b);
    f.signals.onClone(b, child, true);
    f.signals.setBlocked(child, bit(SignalNumbers.SIGUSR2));
    f.signals.setBlocked(b, bit(SignalNumbers.SIGUSR2));
    assertEquals(0, f.syscall(a, nr, -b.process().pid(), SignalNumbers.SIGUSR2));
    assertEquals(bit(SignalNumbers.SIGUSR2), f.signals.sharedPending(child.process()));
    assertEquals(ESRCH, f.syscall(a, nr, -77, SIGUSR1), "no such group");
    // A non-leader thread id names its whole process.
    Task bt = f.thread(b, "bt", 2);
    f.signals.setBlocked(bt, bit(SignalNumbers.SIGHUP));
    f.signals.setBlocked(b, bit(SignalNumbers.SIGHUP) | bit(SignalNumbers.SIGUSR2));
    assertEquals(0, f.syscall(a, nr, bt.tid(), SignalNumbers.SIGHUP));
    assertTrue((f.signals.sharedPending(b.process()) & bit(SignalNumbers.SIGHUP)) != 0);
    // SIGKILL kills at once, whatever the masks.
    assertEquals(0, f.syscall(a, nr, b.process().pid(), SignalNumbers.SIGKILL));
    assertTrue(b.process().hasExited());
    assertEquals(ESRCH, f.syscall(a, nr, b.process().pid(), SIGUSR1), "exited");
  }

  @Test
  void tgkillChecks() {
    KernelFixture f = fixture();
    Task a = f.process("a", 0);
    Task b = f.process("b", 1);
    int nr = SyscallNumbers.TGKILL;
    assertEquals(EINVAL, f.syscall(a, nr, 0, b.tid(), SIGUSR1));
    assertEquals(EINVAL, f.syscall(a, nr, b.process().pid(), 0, SIGUSR1));
    assertEquals(EINVAL, f.syscall(a, nr, -1, b.tid(), SIGUSR1));
    assertEquals(ESRCH, f.syscall(a, nr, a.process().pid(), b.tid(), SIGUSR1), "wrong tgid");
    assertEquals(ESRCH, f.syscall(a, nr, 50, 50, SIGUSR1));
    assertEquals(EINVAL, f.syscall(a, nr, b.process().pid(), b.tid(), 65));
    assertEquals(0, f.syscall(a, nr, b.process().pid(), b.tid(), 0));
    assertFalse(b.hasWork(TaskWork.SIGPENDING));
    f.signals.setBlocked(b, 0);
    KernelFixture.putU64(b, ACT, KernelFixture.HANDLER);
    KernelFixture.putU64(b, ACT + 8, SignalNumbers.SA_RESTORER);
    KernelFixture.putU64(b, ACT + 16, KernelFixture.RESTORER);
    KernelFixture.putU64(b, ACT + 24, 0);
    assertEquals(0, f.syscall(b, SyscallNumbers.RT_SIGACTION, SIGUSR1, ACT, 0, 8));
    assertEquals(0, f.syscall(a, nr, b.process().pid(), b.tid(), SIGUSR1));
    assertTrue(b.hasWork(TaskWork.SIGPENDING));
    assertEquals(b, f.wakeups.get(f.wakeups.size() - 1), "signal_wake_up");
    assertEquals(bit(SIGUSR1), f.signals.pending(b.tid()));
    assertEquals(0, f.signals.sharedPending(b.process()));
  }
}
