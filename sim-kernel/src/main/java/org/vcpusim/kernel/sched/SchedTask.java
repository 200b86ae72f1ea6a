package org.vcpusim.kernel.sched;

import org.vcpusim.kernel.topology.CpuMask;

/**
 * The scheduler's state for one task (thread): the parts of the kernel's {@code struct task_struct}
 * and {@code struct sched_entity} that {@link FairScheduler} owns. Other code reads it through the
 * public accessors; only the scheduler changes it.
 *
 * <p>Times are picosecond ticks of simulated time. {@link #vruntime} is the CFS virtual runtime:
 * real run time scaled by {@code NICE_0_LOAD / weight} ({@code kernel/sched/fair.c:
 * calc_delta_fair()}), the key the run queue orders by. {@link #weight} comes from the nice level
 * through {@code sched_prio_to_weight[]} ({@code kernel/sched/core.c}).
 *
 * <p>Two masks are kept, as in the kernel since v6.2: {@link #userMask} is what the task last asked
 * for with {@code sched_setaffinity()} (or inherited at creation; {@code p->user_cpus_ptr}), and
 * {@link #cpusAllowed} is the effective mask the scheduler enforces ({@code p->cpus_mask}): the
 * user mask intersected with the process's cpuset, or the whole cpuset when that intersection is
 * empty ({@code kernel/sched/core.c: __set_cpus_allowed_ptr()}).
 *
 * <p><b>Caveats:</b> not thread-safe; owned by one {@link FairScheduler}.
 */
public final class SchedTask {
  /** {@code NICE_0_LOAD}: the weight of a nice-0 task. */
  public static final int NICE_0_LOAD = 1024;

  /** {@code sched_prio_to_weight[]}, index {@code nice + 20}. */
  private static final int[] PRIO_TO_WEIGHT = {
    /* -20 */ 88761, 71755, 56483, 46273, 36291,
    /* -15 */ 29154, 23254, 18705, 14949, 11916,
    /* -10 */ 9548, 7620, 6100, 4904, 3906,
    /*  -5 */ 3121, 2501, 1991, 1586, 1277,
    /*   0 */ 1024, 820, 655, 526, 423,
    /*   5 */ 335, 272, 215, 172, 137,
    /*  10 */ 110, 87, 70, 56, 45,
    /*  15 */ 36, 29, 23, 18, 15,
  };

  private final int id;
  private final int processId;
  private final int nice;
  private final int weight;

  TaskState state;
  int cpu;
  long vruntime;
  long sumExecRuntime;
  long prevSumExecRuntime;
  long execStart;
  long lastRan = -1;
  long waitStart = -1;
  long mruSeq;
  boolean onRq;
  CpuMask userMask;
  CpuMask cpusAllowed;
  long nvcsw;
  long nivcsw;
  long nrMigrations;
  long nrWakeups;

  SchedTask(int id, int processId, int nice, CpuMask userMask) {
    this.id = id;
    this.processId = processId;
    this.nice = nice;
    this.weight = weightOfNice(nice);
    this.userMask = userMask;
  }

  /** The load weight of a nice level in {@code [-20, 19]}. */
  public static int weightOfNice(int nice) {
    if (nice < -20 || nice > 19) {
      throw new IllegalArgumentException("nice " + nice + " outside [-20, 19]");
    }
    return PRIO_TO_WEIGHT[nice + 20];
  }

  /** The task id, unique for the scheduler's lifetime; ties in every ordering break on it. */
  public int id() {
    return id;
  }

  /** The owning process (the mm), shared by the task's sibling threads. */
  public int processId() {
    return processId;
  }

  public int nice() {
    return nice;
  }

  /** The load weight, {@link #NICE_0_LOAD} at nice 0. */
  public int weight() {
    return weight;
  }

  public TaskState state() {
    return state;
  }

  /** The CPU the task runs or is queued on, or last ran or was queued on while sleeping. */
  public int cpu() {
    return cpu;
  }

  /** Virtual runtime, ps scaled by {@code NICE_0_LOAD / weight}. */
  public long vruntime() {
    return vruntime;
  }

  /** Total time the task has run, ps ({@code se.sum_exec_runtime}). */
  public long sumExecRuntime() {
    return sumExecRuntime;
  }

  /** Time the task has run since it was last switched in, ps, as of the last accounting. */
  public long sliceRuntime() {
    return sumExecRuntime - prevSumExecRuntime;
  }

  /** When the task was last switched in, or -1 if it never ran. */
  public long lastRan() {
    return lastRan;
  }

  /** When the task, RUNNABLE, started waiting to run; -1 in any other state. */
  public long waitStart() {
    return waitStart;
  }

  /** What the task asked for ({@code p->user_cpus_ptr}). */
  public CpuMask userMask() {
    return userMask;
  }

  /** The effective allowed mask ({@code p->cpus_mask}), never empty. */
  public CpuMask cpusAllowed() {
    return cpusAllowed;
  }

  /** {@code p->nr_cpus_allowed}. */
  public int nrCpusAllowed() {
    return cpusAllowed.weight();
  }

  /** Voluntary context switches ({@code nvcsw}). */
  public long voluntarySwitches() {
    return nvcsw;
  }

  /** Involuntary context switches ({@code nivcsw}). */
  public long involuntarySwitches() {
    return nivcsw;
  }

  /** Times the task changed CPU ({@code se.nr_migrations}). */
  public long migrations() {
    return nrMigrations;
  }

  /** Times the task was woken from SLEEPING. */
  public long wakeups() {
    return nrWakeups;
  }

  @Override
  public String toString() {
    return "task "
        + id
        + " (process "
        + processId
        + ", "
        + state
        + " on cpu "
        + cpu
        + ", vruntime "
        + vruntime
        + ")";
  }
}
