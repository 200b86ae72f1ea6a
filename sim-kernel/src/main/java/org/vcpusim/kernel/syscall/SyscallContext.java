package org.vcpusim.kernel.syscall;

import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Task;

/**
 * What a {@link SyscallHandler} sees of the call in progress: the calling task and CPU, the six
 * argument registers, the task's user memory and the kernel's services.
 *
 * <p><b>Caveats:</b> one reusable instance per machine, valid only during the handler call.
 */
public final class SyscallContext {
  private final KernelServices kernel;
  private Task task;
  private int cpu;
  private long number;
  private boolean noReturnValue;

  public SyscallContext(KernelServices kernel) {
    this.kernel = kernel;
  }

  /** Prepares the context for a call by {@code task} on {@code cpu}. */
  public void begin(Task caller, int onCpu) {
    this.task = caller;
    this.cpu = onCpu;
    this.number = caller.context().get(Registers.RAX);
    this.noReturnValue = false;
  }

  public KernelServices kernel() {
    return kernel;
  }

  public Task task() {
    return task;
  }

  public int cpu() {
    return cpu;
  }

  /** The syscall number (RAX at entry). */
  public long number() {
    return number;
  }

  /** Argument {@code i} (0..5) from RDI, RSI, RDX, R10, R8, R9. */
  public long arg(int i) {
    ThreadContext c = task.context();
    switch (i) {
      case 0:
        return c.get(Registers.RDI);
      case 1:
        return c.get(Registers.RSI);
      case 2:
        return c.get(Registers.RDX);
      case 3:
        return c.get(Registers.R10);
      case 4:
        return c.get(Registers.R8);
      case 5:
        return c.get(Registers.R9);
      default:
        throw new IllegalArgumentException("syscall argument " + i);
    }
  }

  /** The caller's user memory. */
  public AddressSpace memory() {
    return task.process().addressSpace();
  }

  /** The handler restored or discarded RAX itself (rt_sigreturn, exit): do not write a result. */
  public void noReturnValue() {
    noReturnValue = true;
  }

  /** True after {@link #noReturnValue()}. */
  public boolean hasNoReturnValue() {
    return noReturnValue;
  }
}
