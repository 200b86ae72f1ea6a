package org.vcpusim.kernel.signal;

import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.Task;

/**
 * {@code rt_sigreturn()}, x86-64 number 15 ({@code SYSCALL_DEFINE0(rt_sigreturn)},
 * arch/x86/kernel/signal_64.c): the restorer ({@code mov $15,%eax; syscall}) runs after the
 * handler's {@code ret} popped {@code pretcode}, so the frame starts at {@code RSP - 8}. The
 * blocked mask is restored from {@code uc_sigmask} (SIGKILL and SIGSTOP removed) and the 16
 * registers, RIP and flags from {@code uc_mcontext} ({@link SigFrame#read}); RAX comes from the
 * frame too, so the handler calls {@link SyscallContext#noReturnValue()}. A frame outside user
 * space or unreadable is a bad frame: SIGSEGV is forced ({@code signal_fault()}), which kills
 * unless a SIGSEGV handler can run.
 */
public final class RtSigreturnSyscall implements SyscallHandler {
  private final Signals signals;
  private final SigFrame frame = new SigFrame();

  RtSigreturnSyscall(Signals signals) {
    this.signals = signals;
  }

  @Override
  public long call(SyscallContext call) {
    Task task = call.task();
    long address = task.context().get(Registers.RSP) - 8;
    if (!UserAccess.accessOk(address, SigFrame.SIZE)
        || !frame.read(call.memory(), address, task.context())) {
      signals.kernel().count("signal.bad_sigreturn_frame", 1);
      signals.forceSignal(task, SignalNumbers.SIGSEGV, SignalNumbers.SI_KERNEL, 0);
      return 0;
    }
    signals.setBlocked(task, frame.restoredMask());
    call.noReturnValue();
    return 0;
  }
}
