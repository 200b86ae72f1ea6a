package org.vcpusim.kernel.sched;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * One CPU's run queue: its current task and the runnable tasks waiting for it, ordered by
 * (vruntime, task id) — the kernel's {@code struct rq} with its CFS {@code struct cfs_rq}
 * ({@code kernel/sched/sched.h}).
 *
 * <p>As in CFS the current task is not in the ordered set ({@code __dequeue_entity()} on
 * {@code set_next_entity()}) but is counted in {@link #nrRunning} and {@link #load} while it is
 * runnable; ties of vruntime, which the kernel's rbtree leaves in insertion order, break on the task
 * id so that every pick is deterministic. {@link #minVruntime} never decreases
 * ({@code update_min_vruntime()}).
 *
 * <p><b>Caveats:</b> not thread-safe; owned and changed only by one {@link FairScheduler}.
 */
public final class RunQueue {
  /** The timeline order: vruntime, then task id. */
  public static final Comparator<SchedTask> TIMELINE_ORDER =
      Comparator.comparingLong(SchedTask::vruntime).thenComparingInt(SchedTask::id);

  private final int cpu;
  final TreeSet<SchedTask> timeline = new TreeSet<>(TIMELINE_ORDER);
  SchedTask curr;
  int nrRunning;
  long load;
  long minVruntime;
  SchedTask skip;
  boolean needResched;
  long nrSwitches;

  RunQueue(int cpu) {
    this.cpu = cpu;
  }

  public int cpu() {
    return cpu;
  }

  /** The running task, or null while the CPU runs its idle loop. */
  public SchedTask current() {
    return curr;
  }

  /** Runnable tasks here, the current one included ({@code cfs_rq->nr_running}). */
  public int nrRunning() {
    return nrRunning;
  }

  /** Sum of the weights of the runnable tasks here ({@code cfs_rq->load.weight}). */
  public long load() {
    return load;
  }

  /** The monotone floor of the vruntimes here ({@code cfs_rq->min_vruntime}). */
  public long minVruntime() {
    return minVruntime;
  }

  /** Whether need_resched is set ({@code TIF_NEED_RESCHED} of {@code rq->curr}). */
  public boolean needResched() {
    return needResched;
  }

  /** Context switches on this CPU, to and from idle included ({@code rq->nr_switches}). */
  public long nrSwitches() {
    return nrSwitches;
  }

  /** The yield "skip buddy" ({@code cfs_rq->skip}), or null. */
  public SchedTask skipBuddy() {
    return skip;
  }

  /** Whether the CPU is idle: nothing running and nothing queued ({@code idle_cpu()}). */
  public boolean isIdle() {
    return curr == null && nrRunning == 0;
  }

  /** The waiting tasks in pick order (the current task excluded). */
  public List<SchedTask> queued() {
    return new ArrayList<>(timeline);
  }

  /** The first waiting task in pick order, or null ({@code __pick_first_entity()}). */
  public SchedTask leftmost() {
    return timeline.isEmpty() ? null : timeline.first();
  }

  @Override
  public String toString() {
    return "cpu "
        + cpu
        + ": curr "
        + (curr == null ? "idle" : curr.id())
        + ", nr_running "
        + nrRunning
        + ", load "
        + load
        + ", min_vruntime "
        + minVruntime
        + ", queued "
        + timeline.stream().map(t -> t.id() + "@" + t.vruntime()).toList();
  }
}
