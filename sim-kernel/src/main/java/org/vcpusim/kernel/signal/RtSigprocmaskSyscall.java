package org.vcpusim.kernel.signal;

import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.Task;

/**
 * {@code rt_sigprocmask(int how, sigset_t *set, sigset_t *oset, size_t sigsetsize)}, x86-64 number
 * 14 ({@code SYSCALL_DEFINE4(rt_sigprocmask, ...)} and {@code sigprocmask()}, kernel/signal.c):
 * {@code sigsetsize} ≠ 8 → EINVAL; {@code set} unreadable → EFAULT; {@code how} not {@code
 * SIG_BLOCK}/{@code SIG_UNBLOCK}/{@code SIG_SETMASK} (checked only with a {@code set}) → EINVAL;
 * SIGKILL and SIGSTOP are never blocked; the old mask goes to {@code oset} (unwritable → EFAULT,
 * after the change). Unblocking a pending signal makes it deliverable on the way out.
 */
public final class RtSigprocmaskSyscall implements SyscallHandler {
  private final Signals signals;
  private final UserAccess user = new UserAccess();

  RtSigprocmaskSyscall(Signals signals) {
    this.signals = signals;
  }

  @Override
  public long call(SyscallContext call) {
    int how = (int) call.arg(0);
    long set = call.arg(1);
    long oset = call.arg(2);
    long sigsetsize = call.arg(3);
    Task task = call.task();
    AddressSpace memory = call.memory();
    if (sigsetsize != SignalNumbers.SIGSET_SIZE) {
      return Errno.fail(Errno.EINVAL);
    }
    long old = signals.blocked(task.tid());
    if (set != 0) {
      if (!user.get(memory, set, 8)) {
        return Errno.fail(Errno.EFAULT);
      }
      long requested = user.value() & ~SignalNumbers.KERNEL_ONLY_MASK;
      long next;
      switch (how) {
        case SignalNumbers.SIG_BLOCK:
          next = old | requested;
          break;
        case SignalNumbers.SIG_UNBLOCK:
          next = old & ~requested;
          break;
        case SignalNumbers.SIG_SETMASK:
          next = requested;
          break;
        default:
          return Errno.fail(Errno.EINVAL);
      }
      signals.setBlocked(task, next);
    }
    if (oset != 0 && !user.put(memory, oset, 8, old)) {
      return Errno.fail(Errno.EFAULT);
    }
    return 0;
  }
}
