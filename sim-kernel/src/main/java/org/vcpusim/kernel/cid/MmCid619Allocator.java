package org.vcpusim.kernel.cid;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import java.util.TreeMap;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.sched.SchedProcess;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * The v6.19 allocator ({@code mm_cid-6.19} in scenarios), Thomas Gleixner's "sched: Rewrite MM CID
 * management" (reference {@code kernel.md} §3.3, §8.6): each mm is in one of two ownership modes,
 * and a running task's id changes only when it is switched in.
 *
 * <h2>Encoding</h2>
 *
 * As in {@code include/linux/rseq_types.h}: a raw id is a number below {@code nr_cpu_ids}, or
 * {@link #MM_CID_UNSET} (bit 31, none); bit 30 {@link #MM_CID_ONCPU} marks an id owned by a CPU
 * (held in the mm's per-CPU slot {@code mm_cid_pcpu.cid}, and copied into the task that borrows
 * it), bit 29 {@link #MM_CID_TRANSIT} an id held only for the duration of a mode switch. Every
 * taken number is a set bit of the mm's {@code cidmask}. {@link #cid} is {@code task_mm_cid()}:
 * the raw id with both flags masked, {@link #UNSET} for {@code MM_CID_UNSET}.
 *
 * <h2>Rules, each after the kernel function named</h2>
 *
 * <ul>
 *   <li><b>Bounds</b> ({@code __mm_update_max_cids()}, {@code mm_cid_calc_pcpu_thrs()}, {@code
 *       mm_update_max_cids()} in {@code kernel/sched/core.c}), recomputed at fork, exit and
 *       affinity change: {@code opt = min(nr_cpus_allowed, users)}; {@code max_cids = min(opt +
 *       opt/4, num_possible_cpus)}. In per-task mode, {@code users > max_cids} switches to per-CPU
 *       mode and records {@code pcpu_thrs = max(min(opt − opt/4, num_possible/2), 1)}; in per-CPU
 *       mode, {@code users < pcpu_thrs} switches back (hysteresis). {@code users} is the mm's
 *       count of user threads ({@link SchedProcess#users()}, {@code mm_cid.users}), {@code
 *       nr_cpus_allowed} the weight of the grow-only union of their affinities ({@link
 *       SchedProcess#nrCpusAllowed()}).
 *   <li><b>Fork</b> ({@code sched_mm_cid_fork()}): the first user takes the lowest free id; later
 *       ones take one at fork in per-task mode and none in per-CPU mode (they borrow at
 *       switch-in). <b>Exit</b> ({@code sched_mm_cid_exit()}, {@code sched_mm_cid_remove_user()}):
 *       the task's own id returns to the pool; a CPU-owned id it borrowed stays with the CPU.
 *   <li><b>Mode switch</b>: flip {@code mode ^= (TRANSIT | ONCPU)}, then the fixup walk, then
 *       clear TRANSIT ({@code mm_cid_complete_transit()}). Task to CPU ({@code
 *       mm_cid_do_fixup_tasks_to_cpus()}, {@code mm_cid_fixup_task_to_cpu()}): every other user
 *       is visited; a running one's id becomes {@code id | TRANSIT} in its task and its CPU's
 *       slot, a non-running one's id is dropped. CPU to task ({@code
 *       mm_cid_fixup_cpus_to_tasks()}): every possible CPU is visited; a CPU-owned id moves, with
 *       TRANSIT, to the CPU's current task if that is a user of the mm, else it is dropped. The
 *       kernel's walk runs in the forking or exiting task (or a work item after an affinity
 *       change) while other CPUs keep scheduling; here it is synchronous inside the hook, so no
 *       switch happens during the window, and its cost is charged: {@link #FIXUP_VISIT_CYCLES}
 *       per visited task or CPU, under {@link CostCategory#KERNEL_SWITCH}, on the CPU of the task
 *       whose fork, exit or affinity change caused it.
 *   <li><b>Switch-out</b> ({@code mm_cid_schedout()}): nothing, unless the task holds a TRANSIT
 *       id; then, once the transition is over and the id is below {@code max_cids}, it becomes
 *       the stable owner's (the task's in per-task mode, the CPU's in per-CPU mode), else it is
 *       dropped.
 *   <li><b>Switch-in</b> ({@code mm_cid_schedin()}, {@code mm_cid_from_task()}, {@code
 *       mm_cid_from_cpu()} in {@code kernel/sched/sched.h}), the only place a running task's id
 *       changes. Per-task mode: the task keeps its id and the CPU slot caches it; a CPU-owned id
 *       left in the slot is dropped, or handed to a task that has none. Per-CPU mode: the task
 *       takes its CPU's id, the CPU taking over the task's own id if it has none, or a fresh one.
 *       A held id at or above {@code max_cids} <em>converges</em> ({@code mm_cid_converge()}): if
 *       a lower one is free it is taken and the old one dropped.
 *   <li><b>Allocation</b> ({@code mm_get_cid()}): the lowest free id below {@code max_cids},
 *       else the lowest free one below {@code num_possible_cpus}.
 *   <li><b>Exec</b> ({@code sched_mm_cid_before_execve()}, {@code sched_mm_cid_after_execve()}):
 *       the task leaves as a user, then joins the image's mm as its first user. The kernel's new
 *       mm starts from empty; here the pid's state is reset when its last user leaves.
 *   <li>Migration and tick: nothing (v6.19 removed the migrate hooks and the compaction scan).
 * </ul>
 *
 * <p>Both ABI rules hold: running tasks of one mm hold distinct ids (each taken id is one bit),
 * and every id is below {@code nr_cpu_ids}.
 *
 * <h2>Statistics</h2>
 *
 * {@link #publish} writes, per pid, {@code cid.mm_cid-6_19.mm<pid>.} {@code to_percpu}, {@code
 * to_pertask} (mode switches), {@code fixup_visits}, {@code fixup_cycles} (the walks' work) and
 * {@code convergences} (switch-ins that moved a task or CPU to a lower id).
 *
 * <p><b>Caveats:</b> not thread-safe; one per machine. <b>A task that is not running in per-CPU
 * mode still reports the id it last borrowed</b>, as {@code task_mm_cid()} does: that id belongs
 * to the CPU and may be lent to another task, so only the ids of running tasks are unique. The
 * grow-only {@code nr_cpus_allowed} is the scheduler's, which survives an exec (the kernel's new
 * mm starts from the exec'ing task's own mask).
 */
public final class MmCid619Allocator implements MmCidAllocator {
  /** The scenario name of this policy. */
  public static final String NAME = "mm_cid-6.19";

  /** {@code MM_CID_UNSET}: no id. */
  static final int MM_CID_UNSET = 1 << 31;

  /** {@code MM_CID_ONCPU}: the id is owned by a CPU. */
  static final int MM_CID_ONCPU = 1 << 30;

  /** {@code MM_CID_TRANSIT}: the id is held only while a mode switch is in progress. */
  static final int MM_CID_TRANSIT = 1 << 29;

  /**
   * A locked read-modify-write ({@code lock cmpxchg}, the spinlock acquire), the zen5 profile's
   * {@code system.lockedRmw}: 19 cycles (userspace.md §5.2).
   */
  static final long LOCKED_RMW_CYCLES = 19;

  /**
   * Pulling a cache line another core wrote last: 17 ns, the middle of the 15–19 ns core-to-core
   * latency measured within a Zen 4 CCX (userspace.md §5.3), at the zen5 profile's 3.4 GHz.
   */
  static final long REMOTE_LINE_CYCLES = 58;

  /**
   * One visit of a fixup walk, the default of {@link #factory()}: the walk takes the visited
   * CPU's runqueue lock ({@code task_rq_lock()} takes the task's {@code pi_lock} and the rq lock,
   * {@code rq_lock_irq()} the rq lock and the rq's current task) and reads and writes the remote
   * per-CPU slot and task; two locked RMWs plus two remote lines: 2 × 19 + 2 × 58 = 154 cycles.
   * The unlock is a plain store on x86 and costs nothing extra.
   */
  public static final long FIXUP_VISIT_CYCLES = 2 * LOCKED_RMW_CYCLES + 2 * REMOTE_LINE_CYCLES;

  /** {@link #runningOn} of a task that runs on no CPU: below every CPU number. */
  private static final int NOT_RUNNING = -1;

  /** One mm's {@code struct mm_mm_cid} plus its cidmask and its list of users. */
  private static final class Mm {
    final int pid;
    final int[] pcpu;
    final BitSet cidmask = new BitSet();
    /** Active users ({@code mm_cid.active} tasks) by tid: the thread list the walk visits. */
    final TreeMap<Integer, Task> users = new TreeMap<>();
    int mode;
    int maxCids;
    int nrCpusAllowed;
    int pcpuThrs;
    /** Threads between before- and after-exec: live for the scheduler, no longer users here. */
    int inExec;

    Mm(int pid, int nrCpuIds) {
      this.pid = pid;
      this.pcpu = new int[nrCpuIds];
      reset();
    }

    /** {@code mm_init_cid()}: per-task mode, nothing taken. */
    void reset() {
      Arrays.fill(pcpu, MM_CID_UNSET);
      cidmask.clear();
      users.clear();
      mode = 0;
      maxCids = 0;
      nrCpusAllowed = 0;
      pcpuThrs = 0;
    }
  }

  /** Statistics of one pid; they outlive its mm, so that they can be published after the run. */
  private static final class MmStats {
    long toPerCpu;
    long toPerTask;
    long fixupVisits;
    long fixupCycles;
    long convergences;
  }

  private final KernelServices kernel;
  private final FairScheduler scheduler;
  private final long fixupVisitCycles;
  private final int nrCpuIds;
  private final TreeMap<Integer, Mm> mms = new TreeMap<>();
  private final TreeMap<Integer, MmStats> stats = new TreeMap<>();
  /** The current task of each CPU as the switch hooks saw it ({@code rq->curr}), or null. */
  private final Task[] curr;
  /** Raw id of each task ({@code task_struct::mm_cid.cid}), by tid. */
  private final TaskIntTable taskCid = new TaskIntTable(MM_CID_UNSET);
  /** {@code mm_cid.active}: the task counts as a user of its mm. */
  private final BitSet active = new BitSet();
  /** The CPU each task runs on, or {@link #NOT_RUNNING}. */
  private final TaskIntTable runningOn = new TaskIntTable(NOT_RUNNING);

  /**
   * An allocator for the machine behind {@code kernel} and {@code scheduler}, charging {@code
   * fixupVisitCycles} per task or CPU a fixup walk visits.
   */
  public MmCid619Allocator(KernelServices kernel, FairScheduler scheduler, long fixupVisitCycles) {
    if (fixupVisitCycles < 0) {
      throw new IllegalArgumentException("negative fixup visit cost " + fixupVisitCycles);
    }
    this.kernel = Objects.requireNonNull(kernel);
    this.scheduler = Objects.requireNonNull(scheduler);
    this.fixupVisitCycles = fixupVisitCycles;
    this.nrCpuIds = kernel.nrCpuIds();
    this.curr = new Task[nrCpuIds];
  }

  /** A factory of this policy with {@link #FIXUP_VISIT_CYCLES} per visit of a fixup walk. */
  public static MmCidAllocator.Factory factory() {
    return (kernel, scheduler) -> new MmCid619Allocator(kernel, scheduler, FIXUP_VISIT_CYCLES);
  }

  @Override
  public String name() {
    return NAME;
  }

  // ------------------------------------------------------------------ lifetime hooks

  @Override
  public void mmInit(Process mm, long now) {
    mms.put(mm.pid(), new Mm(mm.pid(), nrCpuIds));
    stats.putIfAbsent(mm.pid(), new MmStats());
  }

  @Override
  public void mmRelease(Process mm, long now) {
    mms.remove(mm.pid());
  }

  /** {@code sched_mm_cid_fork()}. */
  @Override
  public void fork(Task child, long now) {
    int tid = child.tid();
    Mm mm = mmOf(child);
    taskCid.clear(tid);
    boolean first = mm.users.isEmpty();
    active.set(tid);
    mm.users.put(tid, child);
    if (first) {
      // A single user fits in max_cids = 1 unless the scheduler knows no CPU for the mm.
      if (updateMaxCids(mm)) {
        switchMode(mm, child, scheduler.task(tid).cpu());
      }
      taskCid.set(tid, getCid(mm));
      // "Required for execve()": the CPU slot caches the id.
      mm.pcpu[scheduler.task(tid).cpu()] = taskCid.get(tid);
      return;
    }
    if (!updateMaxCids(mm)) {
      if (!onCpu(mm.mode)) {
        taskCid.set(tid, getCid(mm));
      }
      return;
    }
    switchMode(mm, child, scheduler.task(tid).cpu());
    if (!onCpu(mm.mode)) {
      taskCid.set(tid, getCid(mm));
    }
  }

  /** {@code sched_mm_cid_exit()}. */
  @Override
  public void exit(Task task, long now) {
    leave(task);
  }

  @Override
  public void beforeExec(Task task, int cpu, long now) {
    if (isActive(task.tid())) {
      mmOf(task).inExec++;
      leave(task);
    }
  }

  @Override
  public void afterExec(Task task, int cpu, long now) {
    Mm mm = mmOf(task);
    if (mm.inExec > 0) {
      mm.inExec--;
    }
    fork(task, now);
  }

  /** {@code mm_update_cpus_allowed()}, with the deferred switch back run at once. */
  @Override
  public void cpusAllowedChanged(Task task, long now) {
    if (!isActive(task.tid())) {
      return;
    }
    Mm mm = mmOf(task);
    int nr = nrCpusAllowed(mm);
    if (nr == mm.nrCpusAllowed) {
      return;
    }
    mm.nrCpusAllowed = nr;
    computeMaxCids(mm, users(mm));
    if (!onCpu(mm.mode)) {
      return;
    }
    // Adjust the threshold to the wider set.
    mm.pcpuThrs = calcPcpuThrs(Math.min(nr, users(mm)));
    if (users(mm) >= mm.pcpuThrs) {
      return;
    }
    // mm_cid_work_fn(), which the kernel runs from a work item.
    if (updateMaxCids(mm)) {
      switchMode(mm, null, scheduler.task(task.tid()).cpu());
    }
  }

  // ------------------------------------------------------------------ context switch

  /** {@code mm_cid_schedout()}. */
  @Override
  public void switchOut(int cpu, Task prev, long now) {
    int tid = prev.tid();
    runningOn.clear(tid);
    if (curr[cpu] == prev) {
      curr[cpu] = null;
    }
    int raw = taskCid.get(tid);
    if (!inTransit(raw)) {
      return;
    }
    Mm mm = mms.get(prev.process().pid());
    int cid = raw & ~MM_CID_TRANSIT;
    if (mm == null) {
      taskCid.clear(tid);
      return;
    }
    if (!inTransit(mm.mode) && cid < mm.maxCids) {
      // The transition is over: become the stable owner, so that the next switch-in is fast.
      if (onCpu(mm.mode)) {
        cid |= MM_CID_ONCPU;
      }
      mm.pcpu[cpu] = cid;
      taskCid.set(tid, cid);
    } else {
      mm.cidmask.clear(cid);
      taskCid.clear(tid);
    }
  }

  /** {@code mm_cid_schedin()}. */
  @Override
  public void switchIn(int cpu, Task next, long now) {
    int tid = next.tid();
    runningOn.set(tid, cpu);
    curr[cpu] = next;
    if (!active.get(tid)) {
      return;
    }
    Mm mm = mmOf(next);
    if (onCpu(mm.mode)) {
      fromCpu(mm, cpu, tid);
    } else {
      fromTask(mm, cpu, tid);
    }
  }

  /** v6.19 has no migration hook: the id follows its owner, task or CPU. */
  @Override
  public void migrated(Task task, int fromCpu, int toCpu, long now) {}

  /** v6.19 has no compaction scan: ids converge at switch-in. */
  @Override
  public void tick(int cpu, Task current, long now) {}

  /**
   * The mm's {@code max_cids} ({@code min(opt + opt/4, num_possible_cpus)}, opt = {@code
   * min(nr_cpus_allowed, users)}): a task switched in holding an id at or above it converges to a
   * lower free one (kernel.md §3.3), so after a quiet period every id handed out lies below it.
   */
  @Override
  public int compactLimit(int pid, int users, int nrCpusAllowed) {
    int max = maxCids(pid);
    return max == 0 ? NO_COMPACT_LIMIT : max;
  }

  @Override
  public int cid(Task task) {
    int tid = task.tid();
    int raw = taskCid.get(tid);
    return (raw & MM_CID_UNSET) != 0 ? UNSET : raw & ~(MM_CID_ONCPU | MM_CID_TRANSIT);
  }

  // ------------------------------------------------------------------ statistics

  /** Writes the per-pid statistics of the class comment. */
  @Override
  public void publish(StatsRegistry registry) {
    for (var e : stats.entrySet()) {
      String p = MmCidAllocator.statsPrefix(NAME, e.getKey());
      MmStats s = e.getValue();
      registry.longGauge(p + "to_percpu").set(s.toPerCpu);
      registry.longGauge(p + "to_pertask").set(s.toPerTask);
      registry.longGauge(p + "fixup_visits").set(s.fixupVisits);
      registry.longGauge(p + "fixup_cycles").set(s.fixupCycles);
      registry.longGauge(p + "convergences").set(s.convergences);
    }
  }

  /** Switches of process {@code pid} to per-CPU mode. */
  public long switchesToPerCpu(int pid) {
    MmStats s = stats.get(pid);
    return s == null ? 0 : s.toPerCpu;
  }

  /** Switches of process {@code pid} back to per-task mode. */
  public long switchesToPerTask(int pid) {
    MmStats s = stats.get(pid);
    return s == null ? 0 : s.toPerTask;
  }

  /** Tasks and CPUs the fixup walks of process {@code pid} visited. */
  public long fixupVisits(int pid) {
    MmStats s = stats.get(pid);
    return s == null ? 0 : s.fixupVisits;
  }

  /** Switch-ins of process {@code pid} that converged to a lower id. */
  public long convergences(int pid) {
    MmStats s = stats.get(pid);
    return s == null ? 0 : s.convergences;
  }

  /** Whether process {@code pid} is in per-CPU ownership mode. */
  public boolean perCpuMode(int pid) {
    Mm mm = mms.get(pid);
    return mm != null && onCpu(mm.mode);
  }

  /** {@code max_cids} of process {@code pid} (0 if it has no users). */
  public int maxCids(int pid) {
    Mm mm = mms.get(pid);
    return mm == null ? 0 : mm.maxCids;
  }

  /** {@code pcpu_thrs} of process {@code pid}: 0 in per-task mode. */
  public int pcpuThreshold(int pid) {
    Mm mm = mms.get(pid);
    return mm == null ? 0 : mm.pcpuThrs;
  }

  // ------------------------------------------------------------------ views for tests

  /** The raw mode word ({@code mm_cid.mode}) of process {@code pid}. */
  int rawMode(int pid) {
    Mm mm = mms.get(pid);
    return mm == null ? 0 : mm.mode;
  }

  /** The raw id of task {@code tid}, flags included. */
  int rawTaskCid(int tid) {
    return taskCid.get(tid);
  }

  /** The raw per-CPU slot of process {@code pid} on {@code cpu}. */
  int rawCpuCid(int pid, int cpu) {
    Mm mm = mms.get(pid);
    return mm == null ? MM_CID_UNSET : mm.pcpu[cpu];
  }

  /** A copy of the taken ids of process {@code pid}. */
  BitSet cidmask(int pid) {
    Mm mm = mms.get(pid);
    return mm == null ? new BitSet() : (BitSet) mm.cidmask.clone();
  }

  /** Whether task {@code tid} counts as a user of its mm. */
  boolean isActive(int tid) {
    return active.get(tid);
  }

  /** The users count the bounds of process {@code pid} are computed from. */
  int users(int pid) {
    Mm mm = mms.get(pid);
    return mm == null ? 0 : users(mm);
  }

  // ------------------------------------------------------------------ the rules

  /** {@code sched_mm_cid_exit()} for {@code task}, also the first half of an exec. */
  private void leave(Task task) {
    int tid = task.tid();
    if (!isActive(tid)) {
      return;
    }
    Mm mm = mmOf(task);
    // sched_mm_cid_remove_user(): drop a task-owned id (TRANSIT cleared first); a CPU-owned one
    // stays with the CPU.
    active.clear(tid);
    mm.users.remove(tid);
    int raw = taskCid.get(tid) & ~MM_CID_TRANSIT;
    taskCid.clear(tid);
    if (onTask(raw)) {
      mm.cidmask.clear(raw);
    }
    if (mm.users.isEmpty()) {
      // Last user (exit or exec): nothing to fix up; the kernel drops the whole mm.
      mm.reset();
      return;
    }
    if (updateMaxCids(mm)) {
      switchMode(mm, null, scheduler.task(tid).cpu());
    }
  }

  /**
   * {@code mm_update_max_cids()}: recomputes the bounds and, when the mode must change, flips it
   * into the transition ({@code mode ^= TRANSIT | ONCPU}) and returns true.
   */
  private boolean updateMaxCids(Mm mm) {
    int users = users(mm);
    mm.nrCpusAllowed = nrCpusAllowed(mm);
    computeMaxCids(mm, users);
    boolean percpu = onCpu(mm.mode);
    if (!percpu) {
      if (users > mm.maxCids) {
        mm.pcpuThrs = calcPcpuThrs(Math.min(mm.nrCpusAllowed, users));
      }
    } else if (users < mm.pcpuThrs) {
      mm.pcpuThrs = 0;
    }
    if (percpu == (mm.pcpuThrs != 0)) {
      return false;
    }
    mm.mode ^= MM_CID_TRANSIT | MM_CID_ONCPU;
    return true;
  }

  /** {@code __mm_update_max_cids()}. */
  private void computeMaxCids(Mm mm, int users) {
    int opt = Math.min(mm.nrCpusAllowed, users);
    mm.maxCids = Math.min(opt + opt / 4, nrCpuIds);
  }

  /** {@code mm_cid_calc_pcpu_thrs()}: at least 1, since 0 means "per-task mode". */
  private int calcPcpuThrs(int opt) {
    return Math.max(Math.min(opt - opt / 4, nrCpuIds / 2), 1);
  }

  /**
   * Runs the fixup walk of the transition {@link #updateMaxCids} entered, completes it, counts it
   * and charges it on {@code cpu}; {@code newTask} (a thread being forked, not yet visible) is not
   * visited.
   */
  private void switchMode(Mm mm, Task newTask, int cpu) {
    MmStats s = stats.computeIfAbsent(mm.pid, k -> new MmStats());
    int visits;
    if (onCpu(mm.mode)) {
      s.toPerCpu++;
      visits = fixupTasksToCpus(mm, newTask);
      mm.mode = MM_CID_ONCPU;
    } else {
      s.toPerTask++;
      visits = fixupCpusToTasks(mm);
      mm.mode = 0;
    }
    long cycles = visits * fixupVisitCycles;
    s.fixupVisits += visits;
    s.fixupCycles += cycles;
    kernel.charge(cpu, cycles, CostCategory.KERNEL_SWITCH);
  }

  /** {@code mm_cid_do_fixup_tasks_to_cpus()}; returns the tasks visited. */
  private int fixupTasksToCpus(Mm mm, Task newTask) {
    int visits = 0;
    for (Task t : mm.users.values()) {
      if (t == newTask) {
        continue;
      }
      visits++;
      int tid = t.tid();
      int raw = taskCid.get(tid);
      if (!onTask(raw)) {
        continue;
      }
      int cpu = runningOn.get(tid);
      if (cpu != NOT_RUNNING) {
        // mm_cid_transit_to_cpu(): the CPU takes it over once the task switches out.
        taskCid.set(tid, raw | MM_CID_TRANSIT);
        mm.pcpu[cpu] = taskCid.get(tid);
      } else {
        taskCid.clear(tid);
        mm.cidmask.clear(raw);
      }
    }
    return visits;
  }

  /** {@code mm_cid_fixup_cpus_to_tasks()}; returns the CPUs visited. */
  private int fixupCpusToTasks(Mm mm) {
    for (int cpu = 0; cpu < nrCpuIds; cpu++) {
      Task t = curr[cpu];
      boolean userRuns = t != null && t.process().pid() == mm.pid && active.get(t.tid());
      int pcp = mm.pcpu[cpu];
      if (onCpu(pcp)) {
        if (userRuns) {
          transitToTask(mm, cpu, t.tid());
        } else {
          dropCidOnCpu(mm, cpu);
        }
      } else if (userRuns) {
        int raw = taskCid.get(t.tid());
        // A running user holds an id; never tag MM_CID_UNSET (the June 2026 bitmap overrun).
        if (raw != MM_CID_UNSET && !inTransit(raw)) {
          taskCid.set(t.tid(), raw | MM_CID_TRANSIT);
          mm.pcpu[cpu] = taskCid.get(t.tid());
        }
      }
    }
    return nrCpuIds;
  }

  /** {@code mm_cid_transit_to_task()}. */
  private void transitToTask(Mm mm, int cpu, int tid) {
    int raw = taskCid.get(tid);
    if (onCpu(raw)) {
      taskCid.set(tid, (raw & ~MM_CID_ONCPU) | MM_CID_TRANSIT);
      mm.pcpu[cpu] = taskCid.get(tid);
    }
  }

  /** {@code mm_drop_cid_on_cpu()}: the slot keeps the bare number, which owns nothing. */
  private static void dropCidOnCpu(Mm mm, int cpu) {
    int pcp = mm.pcpu[cpu];
    if (onCpu(pcp)) {
      mm.pcpu[cpu] = pcp & ~MM_CID_ONCPU;
      mm.cidmask.clear(mm.pcpu[cpu]);
    }
  }

  /** {@code mm_cid_from_task()}: switch-in in per-task mode. */
  private void fromTask(Mm mm, int cpu, int tid) {
    int tcid = taskCid.get(tid);
    int cpuCid = mm.pcpu[cpu];
    if (onTask(tcid | cpuCid)) {
      if (tcid < mm.maxCids) {
        mm.pcpu[cpu] = tcid;
        return;
      }
      tcid = converge(mm, tcid);
    } else {
      // Hand over or drop the CPU-owned id.
      if (onCpu(cpuCid)) {
        if (onTask(tcid)) {
          dropCidOnCpu(mm, cpu);
        } else {
          tcid = cpuCid & ~MM_CID_ONCPU;
        }
      }
      if (!onTask(tcid)) {
        tcid = getCid(mm);
      }
      tcid |= mm.mode & MM_CID_TRANSIT;
    }
    mm.pcpu[cpu] = tcid;
    taskCid.set(tid, tcid);
  }

  /** {@code mm_cid_from_cpu()}: switch-in in per-CPU mode. */
  private void fromCpu(Mm mm, int cpu, int tid) {
    int tcid = taskCid.get(tid);
    int cpuCid = mm.pcpu[cpu];
    if (onCpu(cpuCid & tcid)) {
      if ((cpuCid & ~MM_CID_ONCPU) < mm.maxCids) {
        taskCid.set(tid, cpuCid);
        return;
      }
      cpuCid = converge(mm, cpuCid);
    } else {
      // Hand over or drop the task-owned id.
      if (onTask(tcid)) {
        if (onCpu(cpuCid)) {
          taskCid.clear(tid);
          mm.cidmask.clear(tcid);
        } else {
          cpuCid = tcid | MM_CID_ONCPU;
        }
      }
      if (!onCpu(cpuCid)) {
        cpuCid = getCid(mm) | MM_CID_ONCPU;
      }
      if (inTransit(mm.mode)) {
        cpuCid = (cpuCid & ~MM_CID_ONCPU) | MM_CID_TRANSIT;
      }
    }
    mm.pcpu[cpu] = cpuCid;
    taskCid.set(tid, cpuCid);
  }

  /**
   * {@code mm_cid_converge()}: an id at or above {@code max_cids} moves to the lowest free one
   * below it, if any, keeping its ONCPU flag.
   */
  private int converge(Mm mm, int orig) {
    int cid = orig & ~MM_CID_ONCPU;
    if (cid < mm.maxCids) {
      return orig;
    }
    int lower = getCidBelow(mm, mm.maxCids);
    if (lower == MM_CID_UNSET) {
      return orig;
    }
    mm.cidmask.clear(cid);
    stats.computeIfAbsent(mm.pid, k -> new MmStats()).convergences++;
    return lower | (orig & MM_CID_ONCPU);
  }

  /**
   * {@code mm_get_cid()}: below {@code max_cids} if one is free, else anywhere below {@code
   * nr_cpu_ids}. The kernel spins until a bit frees up; here nothing runs concurrently, so an
   * exhausted space is a broken invariant.
   */
  private int getCid(Mm mm) {
    int cid = getCidBelow(mm, mm.maxCids);
    if (cid == MM_CID_UNSET) {
      cid = getCidBelow(mm, nrCpuIds);
    }
    if (cid == MM_CID_UNSET) {
      throw new IllegalStateException(
          "mm " + mm.pid + ": all " + nrCpuIds + " ids taken (" + mm.cidmask + ")");
    }
    return cid;
  }

  /** {@code __mm_get_cid()}: takes the lowest free id below {@code bound}, or none. */
  private static int getCidBelow(Mm mm, int bound) {
    int cid = mm.cidmask.nextClearBit(0);
    if (cid >= bound) {
      return MM_CID_UNSET;
    }
    mm.cidmask.set(cid);
    return cid;
  }

  // ------------------------------------------------------------------ helpers

  /** {@code cid_on_cpu()}. */
  private static boolean onCpu(int cid) {
    return (cid & MM_CID_ONCPU) != 0;
  }

  /** {@code cid_in_transit()}. */
  private static boolean inTransit(int cid) {
    return (cid & MM_CID_TRANSIT) != 0;
  }

  /** {@code cid_on_task()}: none of UNSET, ONCPU, TRANSIT set (unsigned below TRANSIT). */
  private static boolean onTask(int cid) {
    return Integer.compareUnsigned(cid, MM_CID_TRANSIT) < 0;
  }

  /** Users of the mm: the scheduler's live threads less those inside an exec. */
  private int users(Mm mm) {
    SchedProcess p = scheduler.process(mm.pid);
    return (p == null ? 0 : p.users()) - mm.inExec;
  }

  private int nrCpusAllowed(Mm mm) {
    SchedProcess p = scheduler.process(mm.pid);
    return p == null ? 0 : p.nrCpusAllowed();
  }

  private Mm mmOf(Task task) {
    int pid = task.process().pid();
    stats.putIfAbsent(pid, new MmStats());
    return mms.computeIfAbsent(pid, k -> new Mm(k, nrCpuIds));
  }
}
