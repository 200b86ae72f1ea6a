package org.vcpusim.kernel.task;

/**
 * Pending-work bits of a task, the simulator's {@code TIF_*} flags: set by whoever makes work for
 * the return-to-user path, tested and cleared by its steps (include/linux/entry-common.h,
 * {@code EXIT_TO_USER_MODE_WORK}).
 */
public final class TaskWork {
  /** TIF_NEED_RESCHED: schedule before returning. */
  public static final int NEED_RESCHED = 1;
  /** TIF_SIGPENDING: an unblocked signal is pending. */
  public static final int SIGPENDING = 1 << 1;
  /** TIF_NOTIFY_RESUME: rseq (and other resume work) must run before user mode. */
  public static final int NOTIFY_RESUME = 1 << 2;

  private TaskWork() {}
}
