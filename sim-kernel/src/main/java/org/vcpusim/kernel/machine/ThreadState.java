package org.vcpusim.kernel.machine;

import org.vcpusim.kernel.task.Task;

/**
 * What the machine keeps per task beyond {@link Task}: why the task is in the kernel (the reason
 * bits its next return to user reports), where it last ran user code, and its nanosleep.
 *
 * <p><b>Caveats:</b> package-private state of one machine; not thread-safe.
 */
final class ThreadState {
  final Task task;
  /** {@link org.vcpusim.kernel.entry.ExitToUser} reason bits accumulated since the last return. */
  int exitReasons;
  /** The CPU the task last returned to user mode on, or -1 if it never did. */
  int lastUserCpu = -1;
  /** The task sleeps in nanosleep. */
  boolean sleeping;
  /** When the nanosleep ends, in picoseconds. */
  long sleepUntil;
  /** The nanosleep {@code rem} pointer (0 for none). */
  long sleepRemainder;
  /** The event that ends the nanosleep, or -1 before the first one. */
  int sleepEvent = -1;
  /** IPIs sent by the task's system call that have not run yet. */
  int awaitedIpis;

  ThreadState(Task task) {
    this.task = task;
  }
}
