package org.vcpusim.kernel.signal;

import java.util.ArrayList;
import java.util.List;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * {@code kill(pid_t pid, int sig)}, x86-64 number 62 ({@code SYSCALL_DEFINE2(kill, ...)} →
 * {@code kill_something_info()}, kernel/signal.c), process-directed with {@code si_code} {@code
 * SI_USER} and {@code si_pid} the caller's pid:
 *
 * <ul>
 *   <li>{@code pid > 0}: the thread with that id (as in Linux, a non-leader thread id names its
 *       whole thread group); none or exited → ESRCH; then an invalid {@code sig} → EINVAL; {@code
 *       sig} 0 only checks → 0.
 *   <li>{@code pid == 0} / {@code pid < -1}: every process of the caller's process group / of
 *       group {@code -pid}: 0 if any was signalled, else the last error (ESRCH when none exists).
 *   <li>{@code pid == -1}: every process except the caller's: ESRCH when there is none.
 * </ul>
 *
 * <p>Processes are found by scanning thread ids upward from 1 until {@link KernelServices#task}
 * returns null (thread ids are dense). The machine must number a process like its first thread
 * (Linux's {@code tgid} is the leader's {@code pid}).
 *
 * <p><b>Caveats:</b> process groups are inherited across fork and never changed ({@link
 * Signals#processGroup}; {@code setpgid} is not modelled). There is no init process, so {@code kill(-1)} excludes only the caller's process. No
 * zombies are modelled: an exited process gives ESRCH.
 */
public final class KillSyscall implements SyscallHandler {
  private final Signals signals;
  private final SigInfo info = new SigInfo();

  KillSyscall(Signals signals) {
    this.signals = signals;
  }

  @Override
  public long call(SyscallContext call) {
    int pid = (int) call.arg(0);
    int sig = (int) call.arg(1);
    Task caller = call.task();
    KernelServices kernel = call.kernel();
    if (pid > 0) {
      Task target = kernel.task(pid);
      if (target == null || target.process().hasExited()) {
        return Errno.fail(Errno.ESRCH);
      }
      return send(caller, target, sig);
    }
    if (pid == Integer.MIN_VALUE) {
      return Errno.fail(Errno.ESRCH);
    }
    List<Process> processes = liveProcesses(kernel);
    if (pid == -1) {
      long result = 0;
      int count = 0;
      for (Process p : processes) {
        if (p != caller.process()) {
          count++;
          result = send(caller, p.threads().get(0), sig);
        }
      }
      return count == 0 ? Errno.fail(Errno.ESRCH) : result;
    }
    int group = pid == 0 ? signals.processGroup(caller.process()) : -pid;
    boolean success = false;
    long result = Errno.fail(Errno.ESRCH);
    for (Process p : processes) {
      if (signals.processGroup(p) == group) {
        result = send(caller, p.threads().get(0), sig);
        success |= result == 0;
      }
    }
    return success ? 0 : result;
  }

  private long send(Task caller, Task target, int sig) {
    if (!SignalNumbers.isValid(sig) && sig != 0) {
      return Errno.fail(Errno.EINVAL);
    }
    if (sig != 0) {
      signals.sendToProcess(target,
          info.sent(sig, SignalNumbers.SI_USER, caller.process().pid()));
    }
    return 0;
  }

  /** Live processes in order of their first thread id. */
  static List<Process> liveProcesses(KernelServices kernel) {
    List<Process> out = new ArrayList<>();
    for (int tid = 1; ; tid++) {
      Task t = kernel.task(tid);
      if (t == null) {
        return out;
      }
      Process p = t.process();
      if (!p.hasExited() && !out.contains(p)) {
        out.add(p);
      }
    }
  }
}
