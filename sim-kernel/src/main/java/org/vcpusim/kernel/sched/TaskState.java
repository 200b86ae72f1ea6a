package org.vcpusim.kernel.sched;

/**
 * Where a task stands with the scheduler. RUNNING and RUNNABLE together are the kernel's
 * {@code TASK_RUNNING} with {@code p->on_rq} set, told apart by whether the task is its CPU's
 * {@code rq->curr}; SLEEPING is {@code TASK_INTERRUPTIBLE} off every run queue; EXITED is
 * {@code TASK_DEAD}.
 */
public enum TaskState {
  /** The current task of its CPU. */
  RUNNING,
  /** Queued on its CPU's run queue, waiting to be picked. */
  RUNNABLE,
  /** Blocked, on no run queue, until {@link FairScheduler#wake}. */
  SLEEPING,
  /** Gone; the id is never reused. */
  EXITED;

  /** Whether the task has not exited. */
  public boolean isLive() {
    return this != EXITED;
  }
}
