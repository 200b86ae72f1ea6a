package org.vcpusim.kernel.signal;

import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.task.Task;

/**
 * {@code tgkill(pid_t tgid, pid_t tid, int sig)}, x86-64 number 234 ({@code do_tkill()} → {@code
 * do_send_specific()}, kernel/signal.c), thread-directed with {@code si_code} {@code SI_TKILL}:
 * {@code tgid} or {@code tid} ≤ 0 → EINVAL; no such thread, an exited one, or one of another
 * process → ESRCH; an invalid {@code sig} → EINVAL; {@code sig} 0 only checks → 0.
 */
public final class TgkillSyscall implements SyscallHandler {
  private final Signals signals;
  private final SigInfo info = new SigInfo();

  TgkillSyscall(Signals signals) {
    this.signals = signals;
  }

  @Override
  public long call(SyscallContext call) {
    int tgid = (int) call.arg(0);
    int tid = (int) call.arg(1);
    int sig = (int) call.arg(2);
    if (tid <= 0 || tgid <= 0) {
      return Errno.fail(Errno.EINVAL);
    }
    Task target = call.kernel().task(tid);
    if (target == null || target.hasExited() || target.process().pid() != tgid) {
      return Errno.fail(Errno.ESRCH);
    }
    if (!SignalNumbers.isValid(sig) && sig != 0) {
      return Errno.fail(Errno.EINVAL);
    }
    if (sig != 0) {
      signals.sendToThread(target,
          info.sent(sig, SignalNumbers.SI_TKILL, call.task().process().pid()));
    }
    return 0;
  }
}
