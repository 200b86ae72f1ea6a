package org.vcpusim.kernel.sched;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.TreeMap;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * A deterministic model of the Linux fair scheduler (CFS, {@code kernel/sched/fair.c} and
 * {@code kernel/sched/core.c} as of v5.10–v6.5, before EEVDF): per-CPU run queues ordered by
 * vruntime, tick preemption, wake-up placement and preemption, {@code sched_yield()}, periodic and
 * new-idle load balancing, {@code sched_setaffinity()} and per-process cpusets.
 *
 * <p>The scheduler is a policy and state layer. It executes no instructions and schedules no
 * events: the machine calls an operation at a simulated time {@code now} (picosecond ticks, never
 * decreasing across calls), and the scheduler updates its state and reports every consequence to
 * its {@link SchedObserver}. Context switches it performs itself happen only where the kernel's
 * happen synchronously in the calling task's context: when the running task blocks ({@link
 * #sleep}), exits ({@link #exit}), yields ({@link #yield}), or is pushed off its CPU by an affinity
 * change (the kernel's stopper thread, {@code migration_cpu_stop()}). Every other decision to
 * preempt — tick ({@code check_preempt_tick()}), wake-up ({@code check_preempt_wakeup()}), a task
 * arriving on an idle CPU — only sets need_resched ({@code resched_curr()}) and announces {@link
 * SchedObserver#reschedule}; the machine then calls {@link #schedule} at that CPU's next
 * instruction boundary, as the kernel does on return from interrupt or at the next preemption
 * point.
 *
 * <p>The rules, each after the kernel function named:
 *
 * <ul>
 *   <li>Accounting ({@code update_curr()}): the current task's run time since it was last
 *       accounted is added to its {@code sum_exec_runtime} and, scaled by {@code NICE_0_LOAD /
 *       weight}, to its vruntime; then {@code min_vruntime} = max(min_vruntime, min(current,
 *       leftmost)) ({@code update_min_vruntime()}).
 *   <li>Slice ({@code sched_slice()} with {@code ALT_PERIOD} and {@code BASE_SLICE}, v5.13–v6.5):
 *       period = latency, or nr_running × min_granularity above {@code sched_nr_latency} tasks;
 *       slice = period × weight / run-queue load, at least min_granularity.
 *   <li>Tick ({@code entity_tick()}, {@code check_preempt_tick()}): with more than one runnable
 *       task, resched when the current task ran longer than its slice since it was picked, or ran
 *       at least min_granularity and its vruntime exceeds the leftmost's by more than its slice.
 *   <li>Placement ({@code task_fork_fair()}, {@code place_entity()}): a new task starts at
 *       max(parent's vruntime, min_vruntime + its vslice) on the parent's CPU ({@code
 *       START_DEBIT}); a woken task at max(its vruntime, min_vruntime − latency/2) ({@code
 *       GENTLE_FAIR_SLEEPERS}). A task changing CPU keeps its vruntime relative to
 *       min_vruntime ({@code migrate_task_rq_fair()}, and {@code dequeue_entity()}/
 *       {@code enqueue_entity()} renormalisation).
 *   <li>Pick ({@code pick_next_entity()}): the leftmost task, unless it is the skip buddy left by
 *       {@code yield_task_fair()} and the second is within the wake-up granularity of it.
 *   <li>Wake-up preemption ({@code wakeup_preempt_entity()}): resched when the current task's
 *       vruntime exceeds the woken one's by more than the wake-up granularity (scaled by the woken
 *       task's weight, {@code wakeup_gran()}).
 *   <li>Wake-up placement ({@code select_task_rq_fair()} fast path, {@code select_idle_sibling()}):
 *       (1) the previous CPU if allowed and idle; (2) an allowed CPU of a fully idle core in the
 *       previous CPU's LLC ({@code select_idle_core()}); (3) any idle allowed CPU in that LLC
 *       ({@code select_idle_cpu()}); then, where the kernel would stack the task on the busy
 *       previous CPU and leave the rest to load balancing, the model keeps searching: (4) an idle
 *       allowed CPU in the previous CPU's socket, (5) anywhere; (6) else the allowed CPU with the
 *       fewest runnable tasks, then the least load ({@code find_idlest_group_cpu()}'s fallback).
 *       Every scan goes upward from the previous CPU and wraps ({@code for_each_cpu_wrap}). A new
 *       task is placed the same way from its parent's CPU ({@code wake_up_new_task()}; the kernel
 *       uses the {@code find_idlest_cpu()} slow path, which also prefers idle CPUs, then the least
 *       loaded).
 *   <li>Affinity ({@code __sched_setaffinity()}, {@code __set_cpus_allowed_ptr()}, {@code
 *       affine_move_task()}): the effective mask is the requested mask within the cpuset, EINVAL
 *       if that is empty; a cpuset change keeps each thread's request where it still intersects,
 *       else the whole cpuset. A running or queued task whose CPU left its mask moves to {@code
 *       cpumask_any_and_distribute()} of the new mask (a rotating cursor, {@code lib/cpumask.c});
 *       a sleeping one is placed at its next wake-up.
 *   <li>Load balance ({@code load_balance()}, {@code can_migrate_task()}, {@code detach_tasks()}):
 *       each CPU in turn pulls from the busiest CPU (most runnable tasks, then most load, then
 *       lowest number) while that CPU has at least two more runnable tasks than it — the {@code
 *       migrate_task} imbalance, half the difference — taking queued, never running, tasks
 *       allowed on it, least recently enqueued or run first (the tail of {@code rq->cfs_tasks}). A
 *       CPU about to go idle does the same for one task ({@code newidle_balance()}).
 * </ul>
 *
 * <p>Simplified away, deliberately: EEVDF (v6.6+), group scheduling, the next/last buddies,
 * PELT (load is the instantaneous sum of weights), cache-hot and NUMA checks on migration,
 * {@code busy_factor} and per-domain intervals, idle-state exit latencies, wake-affine towards the
 * waker's CPU, real-time classes, and {@code u64} wrap-around of vruntime (a {@code long} of
 * picoseconds lasts ~106 days at nice 0).
 *
 * <p><b>Caveats:</b> not thread-safe: one machine drives it from one thread. Observers are called
 * synchronously and must not call back into operations.
 */
public final class FairScheduler {
  /** errno {@code EINVAL}; operations that can fail return its negation, as system calls do. */
  public static final int EINVAL = 22;
  /** errno {@code ESRCH}: no such (live) task. */
  public static final int ESRCH = 3;

  private static final Comparator<RunQueue> BUSIEST_FIRST =
      Comparator.comparingInt(RunQueue::nrRunning)
          .thenComparingLong(RunQueue::load)
          .reversed()
          .thenComparingInt(RunQueue::cpu);

  private final CpuTopology topology;
  private final SchedParams params;
  private final SchedObserver observer;
  private final RunQueue[] rqs;
  private final TreeMap<Integer, SchedTask> tasks = new TreeMap<>();
  private final TreeMap<Integer, SchedProcess> processes = new TreeMap<>();
  private final int nrLatency;
  private long clock = Long.MIN_VALUE;
  private long mruSeq;
  private int distributePrev;

  public FairScheduler(CpuTopology topology, SchedParams params, SchedObserver observer) {
    this.topology = topology;
    this.params = params;
    this.observer = observer;
    this.nrLatency = params.nrLatency();
    this.rqs = new RunQueue[topology.nrCpus()];
    for (int cpu = 0; cpu < rqs.length; cpu++) {
      rqs[cpu] = new RunQueue(cpu);
    }
  }

  // ---------------------------------------------------------------- operations

  /** Creates a nice-0 task with no parent task; see the full overload. */
  public SchedTask spawn(int taskId, int processId, CpuMask affinity, long now) {
    return spawn(taskId, processId, affinity, 0, -1, now);
  }

  /**
   * Creates task {@code taskId} of process {@code processId} and queues it, as {@code fork()}'s
   * {@code sched_fork()}, {@code task_fork_fair()} and {@code wake_up_new_task()} do:
   *
   * <ul>
   *   <li>its effective mask is {@code affinity} within the process's cpuset (the whole cpuset if
   *       they do not meet, as for a mask inherited into a cpuset); a process not seen before is
   *       created with a cpuset of every CPU;
   *   <li>its CPU is chosen by the wake-up placement rules from the parent's CPU, or from the first
   *       allowed CPU when {@code parentTaskId} is -1 (a task the machine creates from nothing);
   *   <li>its vruntime is max(parent's vruntime, min_vruntime + vslice) on the parent's CPU
   *       ({@code START_DEBIT}: a child never runs ahead of its parent), carried to the chosen CPU
   *       relative to min_vruntime; without a parent, min_vruntime + vslice on the chosen CPU.
   * </ul>
   *
   * @throws IllegalArgumentException if the id was ever used, the nice level is outside [-20, 19]
   *     or the parent is neither -1 nor a live task
   */
  public SchedTask spawn(
      int taskId, int processId, CpuMask affinity, int nice, int parentTaskId, long now) {
    advance(now);
    if (tasks.containsKey(taskId)) {
      throw new IllegalArgumentException("task id " + taskId + " already used");
    }
    SchedTask parent = parentTaskId == -1 ? null : liveTask(parentTaskId);
    SchedTask t = new SchedTask(taskId, processId, nice, affinity.and(topology.all()));
    SchedProcess p = processOrCreate(processId);
    tasks.put(taskId, t);
    p.liveThreads.put(taskId, t);
    t.cpusAllowed = effectiveMask(t.userMask, p.cpuset);
    p.cpusAllowedGrowOnly = p.cpusAllowedGrowOnly.or(t.cpusAllowed);
    long lag = 0;
    boolean haveLag = false;
    if (parent != null) {
      RunQueue home = rqs[parent.cpu];
      updateCurr(home, now);
      t.vruntime = parent.vruntime;
      placeEntity(home, t, true);
      lag = t.vruntime - home.minVruntime;
      haveLag = true;
    }
    int target = selectTaskRq(t, parent != null ? parent.cpu : t.cpusAllowed.first());
    RunQueue rq = rqs[target];
    updateCurr(rq, now);
    t.cpu = target;
    if (haveLag) {
      t.vruntime = lag + rq.minVruntime;
    } else {
      t.vruntime = Long.MIN_VALUE;
      placeEntity(rq, t, true);
    }
    enqueue(rq, t, now);
    observer.wakeupNew(t, target, now);
    checkPreemptCurr(rq, t, now);
    return t;
  }

  /**
   * Task {@code taskId} exits. A running task leaves its CPU, which picks the next task at once
   * (the last {@code schedule()} of {@code do_exit()}); a queued or sleeping one is removed (the
   * machine's model of a group exit, which the simulator does not run in the dying thread).
   *
   * @throws IllegalArgumentException if the task does not exist or already exited
   */
  public void exit(int taskId, long now) {
    advance(now);
    SchedTask t = liveTask(taskId);
    SchedProcess p = processes.get(t.processId());
    RunQueue rq = rqs[t.cpu];
    TaskState was = t.state;
    if (was == TaskState.RUNNING) {
      updateCurr(rq, now);
      dequeueCurr(rq, t);
    } else if (was == TaskState.RUNNABLE) {
      updateCurr(rq, now);
      detachQueued(rq, t);
    }
    t.state = TaskState.EXITED;
    t.waitStart = -1;
    p.liveThreads.remove(taskId);
    observer.exited(t, now);
    if (was == TaskState.RUNNING) {
      doSchedule(rq, now, SwitchReason.EXIT);
    }
  }

  /**
   * The running task {@code taskId} blocks: it leaves the run queue with its vruntime kept, and its
   * CPU picks the next task at once.
   *
   * @throws IllegalStateException if the task is not the current task of its CPU
   */
  public void sleep(int taskId, long now) {
    advance(now);
    SchedTask t = liveTask(taskId);
    if (t.state != TaskState.RUNNING) {
      throw new IllegalStateException(
          "task " + taskId + " is " + t.state + ": only a running task can block");
    }
    RunQueue rq = rqs[t.cpu];
    updateCurr(rq, now);
    dequeueCurr(rq, t);
    t.state = TaskState.SLEEPING;
    doSchedule(rq, now, SwitchReason.SLEEP);
  }

  /**
   * Wakes task {@code taskId} if it sleeps ({@code try_to_wake_up()}): chooses its CPU, places it
   * and queues it, and sets need_resched on that CPU if it is idle or the woken task should
   * preempt its current one.
   *
   * @return whether the task was sleeping (a wake-up of a task that is not is a no-op, as in the
   *     kernel)
   * @throws IllegalArgumentException if the task does not exist or exited
   */
  public boolean wake(int taskId, long now) {
    advance(now);
    SchedTask t = liveTask(taskId);
    if (t.state != TaskState.SLEEPING) {
      return false;
    }
    int prev = t.cpu;
    int target = selectTaskRq(t, prev);
    RunQueue dst = rqs[target];
    updateCurr(dst, now);
    if (target != prev) {
      t.vruntime = t.vruntime - rqs[prev].minVruntime + dst.minVruntime;
      t.nrMigrations++;
    }
    placeEntity(dst, t, false);
    t.cpu = target;
    enqueue(dst, t, now);
    t.nrWakeups++;
    if (target != prev) {
      observer.migrated(t, prev, target, now);
    }
    observer.wakeup(t, target, now);
    checkPreemptCurr(dst, t, now);
    return true;
  }

  /**
   * The current task of {@code cpu} calls {@code sched_yield()}: it becomes the skip buddy (when
   * it is not alone) and the CPU schedules at once; it keeps running if nothing else is close
   * enough in vruntime ({@code yield_task_fair()}, {@code do_sched_yield()}).
   *
   * @throws IllegalStateException if the CPU is idle
   */
  public void yield(int cpu, long now) {
    advance(now);
    RunQueue rq = rqs[checkCpu(cpu)];
    SchedTask curr = rq.curr;
    if (curr == null) {
      throw new IllegalStateException("cpu " + cpu + " is idle: no task to yield");
    }
    if (rq.nrRunning > 1) {
      updateCurr(rq, now);
      rq.skip = curr;
    }
    doSchedule(rq, now, SwitchReason.YIELD);
  }

  /**
   * The scheduler tick of {@code cpu} ({@code scheduler_tick()}, {@code task_tick_fair()}):
   * accounts the current task and sets need_resched if it has had its share. The machine calls it
   * every {@link SchedParams#tickPeriodPs()} on every CPU.
   */
  public void tick(int cpu, long now) {
    advance(now);
    RunQueue rq = rqs[checkCpu(cpu)];
    SchedTask curr = rq.curr;
    if (curr == null) {
      return;
    }
    updateCurr(rq, now);
    if (rq.nrRunning > 1) {
      checkPreemptTick(rq, curr, now);
    }
  }

  /**
   * {@code sched_setaffinity(taskId, mask)}: the task's request becomes {@code mask} (CPUs beyond
   * the machine dropped), its effective mask the request within its process's cpuset; a running
   * or queued task whose CPU left the mask is moved (a running one is switched out first, reason
   * {@link SwitchReason#MIGRATE}).
   *
   * @return 0, {@code -EINVAL} if the mask holds no CPU of the cpuset (nothing changes), or
   *     {@code -ESRCH} if the task does not exist or exited
   */
  public int setAffinity(int taskId, CpuMask mask, long now) {
    advance(now);
    SchedTask t = tasks.get(taskId);
    if (t == null || !t.state.isLive()) {
      return -ESRCH;
    }
    SchedProcess p = processes.get(t.processId());
    CpuMask requested = mask.and(topology.all());
    CpuMask effective = requested.and(p.cpuset);
    if (effective.isEmpty()) {
      return -EINVAL;
    }
    t.userMask = requested;
    changeCpusAllowed(t, p, effective, now);
    return 0;
  }

  /**
   * Sets the cpuset of process {@code processId} (creating the process record if needed) and
   * recomputes the effective mask of each of its live threads, in id order, moving those whose
   * CPU left it ({@code cpuset_update_tasks_cpumask()} then {@code set_cpus_allowed_ptr()}).
   *
   * @return 0, or {@code -EINVAL} if {@code mask} holds no CPU of the machine
   */
  public int setCpuset(int processId, CpuMask mask, long now) {
    advance(now);
    CpuMask cpuset = mask.and(topology.all());
    if (cpuset.isEmpty()) {
      return -EINVAL;
    }
    SchedProcess p = processOrCreate(processId);
    p.cpuset = cpuset;
    for (SchedTask t : new ArrayList<>(p.liveThreads.values())) {
      changeCpusAllowed(t, p, effectiveMask(t.userMask, cpuset), now);
    }
    return 0;
  }

  /**
   * One periodic load-balance pass over all CPUs ({@code run_rebalance_domains()}), which the
   * machine runs every {@link SchedParams#balanceIntervalPs()}: each CPU, in ascending order,
   * pulls queued tasks from the busiest CPU while that one has at least two more runnable tasks.
   *
   * @return the number of tasks moved
   */
  public int balance(long now) {
    advance(now);
    int moved = 0;
    for (RunQueue dst : rqs) {
      while (pullOne(dst, now, true)) {
        moved++;
      }
    }
    return moved;
  }

  /**
   * {@code __schedule()} on {@code cpu}: puts the current task back if it is still runnable, picks
   * the next one (pulling one from the busiest CPU if there is none here), clears need_resched
   * and, if the pick differs, switches. The machine calls it when need_resched is set.
   */
  public void schedule(int cpu, long now) {
    advance(now);
    doSchedule(rqs[checkCpu(cpu)], now, SwitchReason.PREEMPT);
  }

  // ---------------------------------------------------------------- queries

  public CpuTopology topology() {
    return topology;
  }

  public SchedParams params() {
    return params;
  }

  /** The latest time an operation was called with, or {@link Long#MIN_VALUE} before any. */
  public long now() {
    return clock;
  }

  public RunQueue runQueue(int cpu) {
    return rqs[checkCpu(cpu)];
  }

  /** The task running on {@code cpu}, or null if it is idle. */
  public SchedTask current(int cpu) {
    return rqs[checkCpu(cpu)].curr;
  }

  /** Whether {@code cpu} has nothing running and nothing queued. */
  public boolean isIdle(int cpu) {
    return rqs[checkCpu(cpu)].isIdle();
  }

  /** Whether need_resched is set on {@code cpu}. */
  public boolean needsResched(int cpu) {
    return rqs[checkCpu(cpu)].needResched;
  }

  /** The tasks waiting on {@code cpu}, in pick order, the current one excluded. */
  public List<SchedTask> runnable(int cpu) {
    return rqs[checkCpu(cpu)].queued();
  }

  /** The task with id {@code taskId}, exited ones included, or null. */
  public SchedTask task(int taskId) {
    return tasks.get(taskId);
  }

  /** Every task ever created, in id order. */
  public Collection<SchedTask> tasks() {
    return Collections.unmodifiableCollection(tasks.values());
  }

  /** The process with id {@code processId}, or null if it never had a task or cpuset. */
  public SchedProcess process(int processId) {
    return processes.get(processId);
  }

  /** Every process, in id order. */
  public Collection<SchedProcess> processes() {
    return Collections.unmodifiableCollection(processes.values());
  }

  /** Context switches on all CPUs. */
  public long nrSwitches() {
    long n = 0;
    for (RunQueue rq : rqs) {
      n += rq.nrSwitches;
    }
    return n;
  }

  // ---------------------------------------------------------------- core of the policy

  private void doSchedule(RunQueue rq, long now, SwitchReason reason) {
    SchedTask prev = rq.curr;
    boolean prevRunnable = prev != null && prev.onRq;
    if (prevRunnable) {
      updateCurr(rq, now);
      rq.timeline.add(prev);
    }
    SchedTask next = pickNextEntity(rq);
    if (next == null && pullOne(rq, now, false)) {
      next = pickNextEntity(rq);
    }
    rq.needResched = false;
    if (next == prev) {
      if (prev != null) {
        rq.timeline.remove(prev);
      }
      return;
    }
    if (next != null) {
      rq.timeline.remove(next);
    }
    rq.curr = next;
    rq.nrSwitches++;
    if (prev != null) {
      SwitchReason why = reason;
      if (prevRunnable) {
        why = reason == SwitchReason.YIELD ? SwitchReason.YIELD : SwitchReason.PREEMPT;
        prev.state = TaskState.RUNNABLE;
        prev.waitStart = now;
      }
      if (why.voluntary()) {
        prev.nvcsw++;
      } else {
        prev.nivcsw++;
      }
      observer.switchOut(rq.cpu(), prev, why, now);
    }
    if (next != null) {
      next.state = TaskState.RUNNING;
      next.execStart = now;
      next.prevSumExecRuntime = next.sumExecRuntime;
      next.lastRan = now;
      next.waitStart = -1;
      next.mruSeq = ++mruSeq;
      observer.switchIn(rq.cpu(), next, now);
    } else {
      observer.idle(rq.cpu(), now);
    }
  }

  /** {@code pick_next_entity()} without next/last buddies; clears the skip buddy it picks. */
  private SchedTask pickNextEntity(RunQueue rq) {
    SchedTask left = rq.leftmost();
    if (left == null) {
      return null;
    }
    SchedTask se = left;
    if (rq.skip == left) {
      SchedTask second = rq.timeline.higher(left);
      if (second != null && wakeupPreemptEntity(second, left) < 1) {
        se = second;
      }
    }
    if (rq.skip == se) {
      rq.skip = null;
    }
    return se;
  }

  /** {@code update_curr()}. */
  private void updateCurr(RunQueue rq, long now) {
    SchedTask curr = rq.curr;
    if (curr == null || !curr.onRq) {
      return;
    }
    long delta = now - curr.execStart;
    if (delta <= 0) {
      return;
    }
    curr.execStart = now;
    curr.sumExecRuntime += delta;
    curr.vruntime += calcDeltaFair(delta, curr.weight());
    updateMinVruntime(rq);
  }

  /** {@code update_min_vruntime()}. */
  private static void updateMinVruntime(RunQueue rq) {
    long v = rq.minVruntime;
    SchedTask curr = rq.curr;
    boolean haveCurr = curr != null && curr.onRq;
    if (haveCurr) {
      v = curr.vruntime;
    }
    SchedTask left = rq.leftmost();
    if (left != null) {
      v = haveCurr ? Math.min(v, left.vruntime) : left.vruntime;
    }
    rq.minVruntime = Math.max(rq.minVruntime, v);
  }

  /** {@code check_preempt_tick()}. */
  private void checkPreemptTick(RunQueue rq, SchedTask curr, long now) {
    long ideal = schedSlice(rq, curr);
    long deltaExec = curr.sumExecRuntime - curr.prevSumExecRuntime;
    if (deltaExec > ideal) {
      resched(rq, now);
      if (rq.skip == curr) {
        rq.skip = null;
      }
      return;
    }
    if (deltaExec < params.minGranularityPs()) {
      return;
    }
    SchedTask left = rq.leftmost();
    long delta = curr.vruntime - left.vruntime;
    if (delta > ideal) {
      resched(rq, now);
    }
  }

  /** {@code check_preempt_curr()} for a task just queued on {@code rq}. */
  private void checkPreemptCurr(RunQueue rq, SchedTask t, long now) {
    SchedTask curr = rq.curr;
    if (curr == null) {
      resched(rq, now);
      return;
    }
    if (curr == t || rq.needResched) {
      return;
    }
    updateCurr(rq, now);
    if (wakeupPreemptEntity(curr, t) == 1) {
      resched(rq, now);
    }
  }

  /** {@code wakeup_preempt_entity()}: -1, 0 or 1 as {@code curr} should not, may or must yield. */
  private int wakeupPreemptEntity(SchedTask curr, SchedTask se) {
    long vdiff = curr.vruntime - se.vruntime;
    if (vdiff <= 0) {
      return -1;
    }
    long gran = calcDeltaFair(params.wakeupGranularityPs(), se.weight());
    return vdiff > gran ? 1 : 0;
  }

  /** {@code resched_curr()}. */
  private void resched(RunQueue rq, long now) {
    if (!rq.needResched) {
      rq.needResched = true;
      observer.reschedule(rq.cpu(), now);
    }
  }

  /** {@code sched_slice()}: the wall-clock share of the period for {@code t} on {@code rq}. */
  private long schedSlice(RunQueue rq, SchedTask t) {
    int nr = rq.nrRunning + (t.onRq ? 0 : 1);
    long load = rq.load + (t.onRq ? 0 : t.weight());
    long period = nr > nrLatency ? nr * params.minGranularityPs() : params.latencyPs();
    long slice = mulDiv(period, t.weight(), load);
    return Math.max(slice, params.minGranularityPs());
  }

  /**
   * {@code place_entity()}: a new task ({@code initial}) goes no lower than min_vruntime plus its
   * vslice, a woken one no lower than min_vruntime − latency/2; neither below its own vruntime.
   */
  private void placeEntity(RunQueue rq, SchedTask t, boolean initial) {
    long v = rq.minVruntime;
    if (initial) {
      v += calcDeltaFair(schedSlice(rq, t), t.weight());
    } else {
      v -= params.latencyPs() / 2;
    }
    t.vruntime = Math.max(t.vruntime, v);
  }

  /** {@code calc_delta_fair()}: {@code delta * NICE_0_LOAD / weight}, exactly, without overflow. */
  static long calcDeltaFair(long delta, int weight) {
    if (weight == SchedTask.NICE_0_LOAD) {
      return delta;
    }
    return mulDiv(delta, SchedTask.NICE_0_LOAD, weight);
  }

  /** {@code a * b / c} for non-negative {@code a}, {@code 0 < b, c}, rounded down. */
  private static long mulDiv(long a, long b, long c) {
    return (a / c) * b + (a % c) * b / c;
  }

  /**
   * The wake-up and fork placement described in the class comment; {@code prev} is the anchor of
   * every scan and need not be allowed.
   */
  private int selectTaskRq(SchedTask t, int prev) {
    CpuMask allowed = t.cpusAllowed;
    if (allowed.contains(prev) && rqs[prev].isIdle()) {
      return prev;
    }
    CpuMask llc = topology.llcCpus(prev).and(allowed);
    if (topology.hasSmt()) {
      for (PrimitiveIterator.OfInt it = llc.streamWrapFrom(prev).iterator(); it.hasNext(); ) {
        int cpu = it.nextInt();
        if (coreIdle(cpu)) {
          return cpu;
        }
      }
    }
    CpuMask[] scopes = {llc, topology.socketCpus(topology.socketOf(prev)).and(allowed), allowed};
    for (CpuMask scope : scopes) {
      for (PrimitiveIterator.OfInt it = scope.streamWrapFrom(prev).iterator(); it.hasNext(); ) {
        int cpu = it.nextInt();
        if (rqs[cpu].isIdle()) {
          return cpu;
        }
      }
    }
    int best = -1;
    for (PrimitiveIterator.OfInt it = allowed.streamWrapFrom(prev).iterator(); it.hasNext(); ) {
      int cpu = it.nextInt();
      if (best < 0
          || rqs[cpu].nrRunning < rqs[best].nrRunning
          || (rqs[cpu].nrRunning == rqs[best].nrRunning && rqs[cpu].load < rqs[best].load)) {
        best = cpu;
      }
    }
    return best;
  }

  private boolean coreIdle(int cpu) {
    for (PrimitiveIterator.OfInt it = topology.smtSiblings(cpu).stream().iterator();
        it.hasNext(); ) {
      if (!rqs[it.nextInt()].isIdle()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Pulls one queued task to {@code dst} from the busiest CPU that has at least two more runnable
   * tasks (one more than zero, i.e. any queued task, when {@code dst} is empty and about to idle)
   * and a task allowed on {@code dst}.
   */
  private boolean pullOne(RunQueue dst, long now, boolean periodic) {
    List<RunQueue> sources = new ArrayList<>(rqs.length - 1);
    for (RunQueue rq : rqs) {
      if (rq != dst) {
        sources.add(rq);
      }
    }
    sources.sort(BUSIEST_FIRST);
    for (RunQueue src : sources) {
      if (src.nrRunning - dst.nrRunning < 2) {
        return false;
      }
      SchedTask victim = null;
      for (SchedTask t : src.timeline) {
        if (t.cpusAllowed.contains(dst.cpu()) && (victim == null || t.mruSeq < victim.mruSeq)) {
          victim = t;
        }
      }
      if (victim != null) {
        updateCurr(src, now);
        long lag = detachQueued(src, victim);
        attachMigrated(victim, lag, src.cpu(), dst, now, periodic);
        return true;
      }
    }
    return false;
  }

  /**
   * Installs a new effective mask ({@code set_cpus_allowed_common()}, widening the mm's
   * grow-only mask) and moves the task if its CPU left the mask ({@code affine_move_task()}).
   */
  private void changeCpusAllowed(SchedTask t, SchedProcess p, CpuMask mask, long now) {
    boolean changed = !mask.equals(t.cpusAllowed);
    t.cpusAllowed = mask;
    p.cpusAllowedGrowOnly = p.cpusAllowedGrowOnly.or(mask);
    if (changed) {
      observer.cpusAllowedChanged(t, now);
    }
    if (t.state == TaskState.SLEEPING || mask.contains(t.cpu)) {
      return;
    }
    int dest = cpumaskAnyAndDistribute(mask);
    RunQueue src = rqs[t.cpu];
    updateCurr(src, now);
    long lag;
    if (t.state == TaskState.RUNNING) {
      lag = dequeueCurr(src, t);
      t.state = TaskState.RUNNABLE;
      t.waitStart = now;
      doSchedule(src, now, SwitchReason.MIGRATE);
    } else {
      lag = detachQueued(src, t);
    }
    attachMigrated(t, lag, src.cpu(), rqs[dest], now, true);
  }

  /** {@code cpumask_any_and_distribute()}: the next CPU of the mask after the last one chosen. */
  private int cpumaskAnyAndDistribute(CpuMask mask) {
    int next = mask.nextSetBitWrap(distributePrev + 1);
    distributePrev = next;
    return next;
  }

  // ---------------------------------------------------------------- run-queue bookkeeping

  /** Queues a runnable task that is not on any run queue ({@code enqueue_entity()}). */
  private void enqueue(RunQueue rq, SchedTask t, long now) {
    t.cpu = rq.cpu();
    t.state = TaskState.RUNNABLE;
    t.onRq = true;
    t.mruSeq = ++mruSeq;
    if (t.waitStart < 0) {
      t.waitStart = now;
    }
    rq.timeline.add(t);
    rq.nrRunning++;
    rq.load += t.weight();
  }

  /**
   * Takes the current task off the run-queue accounting (it stays {@code rq.curr} until the
   * following switch) and returns its vruntime relative to min_vruntime.
   */
  private static long dequeueCurr(RunQueue rq, SchedTask t) {
    t.onRq = false;
    rq.nrRunning--;
    rq.load -= t.weight();
    if (rq.skip == t) {
      rq.skip = null;
    }
    long lag = t.vruntime - rq.minVruntime;
    updateMinVruntime(rq);
    return lag;
  }

  /**
   * Removes a queued task: out of the timeline, then off the accounting as {@link #dequeueCurr};
   * returns its vruntime relative to min_vruntime.
   */
  private static long detachQueued(RunQueue rq, SchedTask t) {
    rq.timeline.remove(t);
    return dequeueCurr(rq, t);
  }

  /** Queues a migrating task on {@code dst} at the same lag behind min_vruntime. */
  private void attachMigrated(
      SchedTask t, long lag, int fromCpu, RunQueue dst, long now, boolean checkPreempt) {
    updateCurr(dst, now);
    t.vruntime = lag + dst.minVruntime;
    t.nrMigrations++;
    enqueue(dst, t, now);
    observer.migrated(t, fromCpu, dst.cpu(), now);
    if (checkPreempt) {
      checkPreemptCurr(dst, t, now);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static CpuMask effectiveMask(CpuMask requested, CpuMask cpuset) {
    CpuMask both = requested.and(cpuset);
    return both.isEmpty() ? cpuset : both;
  }

  private SchedProcess processOrCreate(int processId) {
    return processes.computeIfAbsent(processId, id -> new SchedProcess(id, topology.all()));
  }

  private SchedTask liveTask(int taskId) {
    SchedTask t = tasks.get(taskId);
    if (t == null) {
      throw new IllegalArgumentException("no task " + taskId);
    }
    if (!t.state.isLive()) {
      throw new IllegalArgumentException("task " + taskId + " has exited");
    }
    return t;
  }

  private int checkCpu(int cpu) {
    if (!topology.isValid(cpu)) {
      throw new IllegalArgumentException("CPU " + cpu + " outside [0, " + rqs.length + ")");
    }
    return cpu;
  }

  private void advance(long now) {
    if (now < clock) {
      throw new IllegalArgumentException("time went backwards: " + now + " < " + clock);
    }
    clock = now;
  }
}
