package org.vcpusim.kernel.sched;

/**
 * Why a task stopped being its CPU's current task, as the kernel's context-switch accounting in
 * {@code kernel/sched/core.c: __schedule()} sees it: a task that leaves in a state other than
 * {@code TASK_RUNNING} (it blocked or died) counts as a voluntary switch ({@code nvcsw}); one that
 * is still runnable (preempted, yielding, or pushed off by an affinity change) counts as
 * involuntary ({@code nivcsw}). {@code sched_yield()} therefore counts as involuntary, as in Linux.
 */
public enum SwitchReason {
  /** need_resched was honoured: tick or wake-up preemption. */
  PREEMPT(false),
  /** The task blocked ({@link FairScheduler#sleep}). */
  SLEEP(true),
  /** The task called {@code sched_yield()} and another task was picked. */
  YIELD(false),
  /** The task exited. */
  EXIT(true),
  /** Its CPU left the task's allowed mask; it was stopped here and moved to another CPU. */
  MIGRATE(false);

  private final boolean voluntary;

  SwitchReason(boolean voluntary) {
    this.voluntary = voluntary;
  }

  /** Whether the switch counts in {@code nvcsw} rather than {@code nivcsw}. */
  public boolean voluntary() {
    return voluntary;
  }
}
