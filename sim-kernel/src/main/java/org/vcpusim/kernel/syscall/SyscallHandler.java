package org.vcpusim.kernel.syscall;

/**
 * One system call's kernel side. The machine decodes {@code syscall} (number in RAX, arguments in
 * RDI, RSI, RDX, R10, R8, R9), charges the entry cost, calls the handler registered for the number
 * in the {@link SyscallTable}, writes what it returns into RAX (a value, or {@code -errno}), and
 * then leaves through {@link org.vcpusim.kernel.entry.ReturnToUser} unless the handler blocked,
 * exited or switched the task.
 */
@FunctionalInterface
public interface SyscallHandler {
  /**
   * Performs the call.
   *
   * @return the value for RAX; ignored when {@link SyscallContext#noReturnValue()} was called
   *     (e.g. {@code rt_sigreturn}, which restores RAX with the rest of the frame, or {@code exit})
   */
  long call(SyscallContext call);
}
