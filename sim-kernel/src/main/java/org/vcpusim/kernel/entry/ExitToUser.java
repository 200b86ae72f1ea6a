package org.vcpusim.kernel.entry;

import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Task;

/**
 * One pass of a task through {@link ReturnToUser}: which task, on which CPU, and why it is
 * returning (a bit set of {@link #SYSCALL}, {@link #INTERRUPT}, {@link #SWITCHED_IN}, ...).
 *
 * <p><b>Caveats:</b> one reusable instance per machine, valid only during a pipeline run.
 */
public final class ExitToUser {
  /** Returning from a system call. */
  public static final int SYSCALL = 1;
  /** Returning from an interrupt (timer tick, IPI) that did not switch tasks. */
  public static final int INTERRUPT = 1 << 1;
  /** The task was just switched in on this CPU (after preemption, sleep, yield or creation). */
  public static final int SWITCHED_IN = 1 << 2;
  /** The task runs on a different CPU than the last time it was in user mode. */
  public static final int MIGRATED = 1 << 3;
  /** Returning from an exception (fault) that did not kill the task. */
  public static final int EXCEPTION = 1 << 4;

  private final KernelServices kernel;
  private Task task;
  private int cpu;
  private int reasons;
  private boolean killed;

  public ExitToUser(KernelServices kernel) {
    this.kernel = kernel;
  }

  /** Prepares a pass for {@code t} on {@code onCpu} with the given reason bits. */
  public ExitToUser begin(Task t, int onCpu, int reasonBits) {
    task = t;
    cpu = onCpu;
    reasons = reasonBits;
    killed = false;
    return this;
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

  /** The reason bits of this pass. */
  public int reasons() {
    return reasons;
  }

  /** True when any of {@code bits} is among the reasons. */
  public boolean is(int bits) {
    return (reasons & bits) != 0;
  }

  /** Records that a step killed the task (the machine stops the pipeline and does not resume it). */
  public void kill() {
    killed = true;
  }

  public boolean killed() {
    return killed;
  }
}
