package org.vcpusim.kernel.sched;

/**
 * What the {@link FairScheduler} announces to the machine and to the concurrency-id allocators.
 * The scheduler runs no instructions and schedules no events: it changes its state and calls these
 * methods, synchronously, from inside the operation that caused them. Every method has an empty
 * default.
 *
 * <p>The events follow the kernel's scheduler tracepoints ({@code include/trace/events/sched.h}):
 * {@code sched_switch} split into {@link #switchOut} and {@link #switchIn} (or {@link #idle}),
 * {@code sched_wakeup}, {@code sched_wakeup_new}, {@code sched_migrate_task},
 * {@code sched_process_exit}; plus {@link #reschedule}, the moment {@code resched_curr()} sets
 * {@code TIF_NEED_RESCHED}, and {@link #cpusAllowedChanged}, the moment
 * {@code set_cpus_allowed_common()} installs a new mask (where the kernel also widens the mm's
 * {@code mm_cpus_allowed}).
 *
 * <p>Ordering contract: a {@link #switchOut} for a CPU is immediately followed by the {@link
 * #switchIn} or {@link #idle} for the same CPU. A task a CPU pulls as it would go idle is reported
 * ({@link #migrated}) before that pair; a running task pushed off its CPU by an affinity change is
 * reported after it ({@code switchOut(..., MIGRATE, ...)}, the CPU's next task or idle, then
 * {@code migrated}); a woken task that changes CPU is reported {@code migrated} then {@link
 * #wakeup}. A task's
 * {@link #exited} precedes its final {@code switchOut(..., EXIT, ...)}, as {@code exit_signals()}
 * and the mm_cid exit hook precede the last {@code schedule()} of {@code do_exit()}. Observers must
 * not call back into the scheduler's operations; they may call its queries.
 */
public interface SchedObserver {
  /** An observer that ignores every event. */
  SchedObserver NONE = new SchedObserver() {};

  /** {@code prev} stops running on {@code cpu}. */
  default void switchOut(int cpu, SchedTask prev, SwitchReason reason, long now) {}

  /** {@code next} starts running on {@code cpu}; the machine resumes it at its saved state. */
  default void switchIn(int cpu, SchedTask next, long now) {}

  /** {@code cpu} has nothing to run and enters the idle loop. */
  default void idle(int cpu, long now) {}

  /**
   * need_resched was set on {@code cpu}: the machine must call {@link FairScheduler#schedule} for
   * it at the CPU's next instruction boundary (at once if the CPU is idle).
   */
  default void reschedule(int cpu, long now) {}

  /** {@code task} was woken and queued on {@code cpu} (its CPU may have changed: see migrated). */
  default void wakeup(SchedTask task, int cpu, long now) {}

  /** A new task was placed and queued on {@code cpu}. */
  default void wakeupNew(SchedTask task, int cpu, long now) {}

  /** {@code task} moved from {@code fromCpu} to {@code toCpu}; it is queued there, not running. */
  default void migrated(SchedTask task, int fromCpu, int toCpu, long now) {}

  /** {@code task}'s effective allowed mask changed. */
  default void cpusAllowedChanged(SchedTask task, long now) {}

  /** {@code task} exited; its process's users count already excludes it. */
  default void exited(SchedTask task, long now) {}
}
