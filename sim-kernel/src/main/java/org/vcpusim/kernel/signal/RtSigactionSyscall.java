package org.vcpusim.kernel.signal;

import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.Process;

/**
 * {@code rt_sigaction(int sig, const struct sigaction *act, struct sigaction *oact, size_t
 * sigsetsize)}, x86-64 number 13 ({@code SYSCALL_DEFINE4(rt_sigaction, ...)} and {@code
 * do_sigaction()}, kernel/signal.c).
 *
 * <p>The kernel's {@code struct sigaction} on x86-64 (not glibc's): {@code sa_handler} at 0, {@code
 * sa_flags} (unsigned long) at 8, {@code sa_restorer} at 16, {@code sa_mask} (8-byte sigset) at 24;
 * 32 bytes. Checks in order: {@code sigsetsize} ≠ 8 → EINVAL; {@code act} unreadable → EFAULT;
 * {@code sig} outside 1..64, or an action for SIGKILL/SIGSTOP → EINVAL; {@code oact} unwritable →
 * EFAULT (after the new action was installed, as in the kernel).
 */
public final class RtSigactionSyscall implements SyscallHandler {
  /** Offset of {@code sa_handler}. */
  public static final int SA_HANDLER = 0;
  /** Offset of {@code sa_flags}. */
  public static final int SA_FLAGS = 8;
  /** Offset of {@code sa_restorer}. */
  public static final int SA_RESTORER_FIELD = 16;
  /** Offset of {@code sa_mask}. */
  public static final int SA_MASK = 24;

  private final Signals signals;
  private final UserAccess user = new UserAccess();

  RtSigactionSyscall(Signals signals) {
    this.signals = signals;
  }

  @Override
  public long call(SyscallContext call) {
    long sigArg = (int) call.arg(0);
    long act = call.arg(1);
    long oact = call.arg(2);
    long sigsetsize = call.arg(3);
    AddressSpace memory = call.memory();
    Process process = call.task().process();
    if (sigsetsize != SignalNumbers.SIGSET_SIZE) {
      return Errno.fail(Errno.EINVAL);
    }
    long handler = 0;
    long flags = 0;
    long restorer = 0;
    long mask = 0;
    if (act != 0) {
      if (!user.get(memory, act + SA_HANDLER, 8)) {
        return Errno.fail(Errno.EFAULT);
      }
      handler = user.value();
      if (!user.get(memory, act + SA_FLAGS, 8)) {
        return Errno.fail(Errno.EFAULT);
      }
      flags = user.value();
      if (!user.get(memory, act + SA_RESTORER_FIELD, 8)) {
        return Errno.fail(Errno.EFAULT);
      }
      restorer = user.value();
      if (!user.get(memory, act + SA_MASK, 8)) {
        return Errno.fail(Errno.EFAULT);
      }
      mask = user.value();
    }
    if (!SignalNumbers.isValid(sigArg)
        || (act != 0 && (SignalNumbers.KERNEL_ONLY_MASK & SignalNumbers.bit((int) sigArg)) != 0)) {
      return Errno.fail(Errno.EINVAL);
    }
    int sig = (int) sigArg;
    long oldHandler = signals.handler(process, sig);
    long oldFlags = signals.flags(process, sig);
    long oldRestorer = signals.restorer(process, sig);
    long oldMask = signals.mask(process, sig);
    if (act != 0) {
      signals.setAction(process, sig, handler, flags, restorer, mask);
    }
    if (oact != 0) {
      if (!user.put(memory, oact + SA_HANDLER, 8, oldHandler)
          || !user.put(memory, oact + SA_FLAGS, 8, oldFlags)
          || !user.put(memory, oact + SA_RESTORER_FIELD, 8, oldRestorer)
          || !user.put(memory, oact + SA_MASK, 8, oldMask)) {
        return Errno.fail(Errno.EFAULT);
      }
    }
    return 0;
  }
}
