package org.vcpusim.kernel.cid;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import java.util.TreeMap;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.sched.SchedProcess;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * The v6.4–v6.18 concurrency-id allocator ({@code mm_cid-6.4} in scenarios) in its v6.13–v6.18
 * shape: {@code 223baf9d17f2} (per-mm per-CPU cid cache, lazy put, migration steal, periodic
 * compaction) with {@code 7e019dcc470f} (recent cid, {@code max_nr_cid}, grow-only {@code
 * mm_cpus_allowed}) and {@code 02d954c0fdf9} (shrinking {@code max_nr_cid}). Reference {@code
 * kernel.md} §2.6 and §3.1; code followed: {@code kernel/sched/sched.h} of v6.17 ({@code
 * __mm_cid_try_get()}, {@code mm_cid_get()}, {@code mm_cid_put_lazy()}, {@code mm_cid_put()},
 * {@code switch_mm_cid()}) and {@code kernel/sched/core.c} ({@code sched_mm_cid_migrate_to()},
 * {@code __sched_mm_cid_migrate_from_fetch_cid()}, {@code
 * __sched_mm_cid_migrate_from_try_steal_cid()}, {@code sched_mm_cid_remote_clear()}, {@code
 * sched_mm_cid_remote_clear_old()}, {@code sched_mm_cid_remote_clear_weight()}, {@code
 * task_mm_cid_work()}, {@code task_tick_mm_cid()}, {@code sched_mm_cid_exit_signals()}, {@code
 * sched_mm_cid_before_execve()}, {@code sched_mm_cid_after_execve()}, {@code sched_mm_cid_fork()}).
 *
 * <h2>State</h2>
 *
 * <ul>
 *   <li>Per mm: the bitmap of allocated cids ({@code mm_cidmask}); per CPU {@code pcpu_cid =
 *       {cid, recent_cid, time}}, where {@code cid} is {@link #UNSET}, a valid cid, or a cid with
 *       {@link #LAZY_PUT} set ("free it when no longer used"); {@code max_nr_cid}; the time of
 *       the next compaction scan ({@code mm_cid_next_scan}).
 *   <li>Per task: {@code mm_cid} (its cid while running, else {@link #UNSET}), {@code
 *       last_mm_cid}, {@code mm_cid_active}.
 *   <li>From the scheduler ({@link SchedProcess}): {@code mm_users} as {@link SchedProcess#users}
 *       (live threads; the kernel's {@code mm_users} also counts kernel references) and {@code
 *       nr_cpus_allowed} as {@link SchedProcess#nrCpusAllowed} (the grow-only union); {@code
 *       rq->curr} as {@link FairScheduler#current}.
 * </ul>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>Switch-out ({@code switch_mm_cid()}, prev active): snapshot the CPU's time, {@code
 *       mm_cid_put_lazy()} — free the CPU's cid only if a remote clear marked it {@link
 *       #LAZY_PUT} — and prev holds no cid. The cid otherwise <b>stays cached on the CPU</b>.
 *   <li>Switch-in ({@code mm_cid_get()}): a valid cid cached on this CPU is reused with no
 *       atomic operation (the v6.4 fix for the v6.3 lock); a {@link #LAZY_PUT} one is freed;
 *       otherwise {@code __mm_cid_try_get()}: (1) shrink {@code max_nr_cid} to {@code
 *       min(nr_cpus_allowed, mm_users)}; (2) this CPU's {@code recent_cid} if below {@code
 *       max_nr_cid} and free; (3) while {@code max_nr_cid < min(nr_cpus_allowed, mm_users)}, grow
 *       it by one and take the new id if free; (4) the lowest free id, which is below {@code
 *       nr_cpus_allowed}. The result is cached as the CPU's {@code cid} and {@code recent_cid}.
 *   <li>Migration ({@code sched_mm_cid_migrate_to()}): nothing if the destination CPU already
 *       has a cid or recent cid and {@code mm_users >= nr_cpus_allowed}. Otherwise, if the
 *       source CPU's cid is the task's {@code last_mm_cid} and no active task of the mm is
 *       current there, steal it (source cid and recent cid become unset); if the destination
 *       has a cid the stolen one is freed, else it moves there as cid and recent cid. Cids follow
 *       migrating threads.
 *   <li>Compaction ({@code task_tick_mm_cid()} → {@code task_mm_cid_work()}): on the tick of a
 *       CPU running an active task of the mm, once {@code now >= mm_cid_next_scan}, the scan
 *       moves {@code mm_cid_next_scan} a period ahead, then for every possible CPU: refresh the
 *       time of a CPU where an active task of the mm is current, else remote-clear its cid if it
 *       is older than one period ({@code remote_clear_old}); then with {@code weight} = the
 *       number of allocated ids, remote-clear every per-CPU cid {@code >= weight}
 *       (recompaction). A remote clear marks the cid {@link #LAZY_PUT}; if an active task of the
 *       mm is current on that CPU it will free it at its switch-out, otherwise the clear frees it
 *       at once. <b>A cid in use by a running task is never freed.</b> The kernel runs the scan as
 *       task work on the ticked task's next return to user; the model runs it at the tick, which
 *       the machine follows with that return ({@code Machine}'s boundary work).
 *   <li>Lifecycle: {@link #fork} makes the task active without a cid (first switch-in
 *       allocates); {@link #exit} and {@link #beforeExec} deactivate it and, when it is current
 *       on its CPU, unset and free that CPU's cid ({@code mm_cid_put()}); {@link #afterExec}
 *       reactivates and allocates at once. A thread that exits while not running (the machine's
 *       group exit) leaves the per-CPU caches alone: another thread of the mm may be using the
 *       CPU's cid; compaction reclaims what is left.
 * </ul>
 *
 * <p>Bounds (kernel.md §2.6): every cid is below {@code nr_cpus_allowed} (at the time of its
 * allocation; the grow-only union never shrinks) and so below {@code nr_cpu_ids}; the soft target
 * is {@code min(nr_cpus_allowed, mm_users)}, reached after compaction once the mm is quiet.
 *
 * <h2>Costs</h2>
 *
 * <p>Reusing the CPU's cid costs nothing extra (no atomics). An atomic on the shared bitmap (a
 * {@code test_and_set_bit} of an allocation, a {@code clear_bit} of a lazy put) costs {@link
 * #BITMAP_ATOMIC_CYCLES}; a migration steal {@link #MIGRATE_STEAL_CYCLES}; all charged to the
 * switching CPU as {@link CostCategory#KERNEL_SWITCH}. The compaction scan charges {@link
 * #SCAN_CYCLES_PER_CPU} per possible CPU visited plus {@link #REMOTE_CLEAR_CYCLES} per cid it
 * frees, to the ticked CPU as {@link CostCategory#RETURN_TO_USER} (it is task work run on the
 * way back to user space). Per mm it reports compaction scans, cids cleared by compaction (old
 * and above-weight), migration steals and frees, bitmap allocations and per-CPU reuses, as {@code
 * cid.mm_cid-6_4.mm<pid>.*} ({@link #publish}).
 *
 * <p><b>Caveats:</b> not thread-safe; one instance per machine. The single-threaded simulation
 * has no lost races, so the {@code cid_lock}/{@code use_cid_lock} forward-progress fallback and
 * the re-checks after each compare-and-swap never trigger and are not modelled. The cycle figures
 * come from the zen5 profile (see each constant), not from the machine's profile.
 */
public final class MmCid64Allocator implements MmCidAllocator {
  /** The scenario name of this policy. */
  public static final String NAME = "mm_cid-6.4";

  /**
   * {@code SCHED_MM_CID_PERIOD_NS} (how old a per-CPU cid must be for {@code remote_clear_old})
   * and {@code MM_CID_SCAN_DELAY} (the interval between scans of one mm), both 100 ms in
   * {@code kernel/sched/sched.h}.
   */
  public static final long DEFAULT_PERIOD_PS = Ticks.fromMillis(100);

  /** {@code MM_CID_LAZY_PUT} ({@code 1U << 31}): a per-CPU cid to free when no longer used. */
  public static final int LAZY_PUT = Integer.MIN_VALUE;

  /** One cache line brought from another core: zen5 {@code memory.crossCoreSameLlc}. */
  static final long REMOTE_LINE_CYCLES = 58;

  /** A locked read-modify-write on a line already here: zen5 {@code system.lockedRmw}. */
  static final long LOCKED_RMW_CYCLES = 19;

  /** A load that hits L1: zen5 {@code memory.l1}. */
  static final long L1_HIT_CYCLES = 4;

  /**
   * An atomic bit operation on the mm's bitmap, whose line the previous writer (another CPU)
   * holds: one transfer plus the locked RMW, 58 + 19 = 77 cycles.
   */
  public static final long BITMAP_ATOMIC_CYCLES = REMOTE_LINE_CYCLES + LOCKED_RMW_CYCLES;

  /**
   * A migration steal: the source CPU's {@code pcpu_cid} line comes over (58), two
   * compare-and-swaps on it (valid → lazy → unset, 2 × 19), and the source {@code rq->curr} read
   * in between (another line, 58): 58 + 38 + 58 = 154 cycles.
   */
  public static final long MIGRATE_STEAL_CYCLES =
      2 * REMOTE_LINE_CYCLES + 2 * LOCKED_RMW_CYCLES;

  /**
   * The scan's work per possible CPU: {@code remote_clear_old} reads that CPU's {@code
   * pcpu_cid} line and its {@code rq->curr} (two remote lines, 2 × 58), {@code
   * remote_clear_weight} re-reads the {@code pcpu_cid} line, now in L1 (4): 120 cycles.
   */
  public static final long SCAN_CYCLES_PER_CPU = 2 * REMOTE_LINE_CYCLES + L1_HIT_CYCLES;

  /**
   * A remote clear that frees the cid: two compare-and-swaps on the CPU's {@code pcpu_cid} line
   * (2 × 19), the {@code rq->curr} re-check (58) and the bitmap {@code clear_bit} (77): 173
   * cycles.
   */
  public static final long REMOTE_CLEAR_CYCLES =
      2 * LOCKED_RMW_CYCLES + REMOTE_LINE_CYCLES + BITMAP_ATOMIC_CYCLES;


  /** Per-mm state and statistics. */
  private static final class Mm {
    final BitSet cidmask = new BitSet();
    final int[] pcpuCid;
    final int[] recentCid;
    final long[] time;
    int maxNrCid;
    long nextScan;
    long scans;
    long clearedOld;
    long clearedWeight;
    long steals;
    long stealFrees;
    long allocations;
    long reuses;

    Mm(int nrCpus) {
      pcpuCid = new int[nrCpus];
      recentCid = new int[nrCpus];
      time = new long[nrCpus];
      Arrays.fill(pcpuCid, UNSET);
      Arrays.fill(recentCid, UNSET);
    }
  }

  private final KernelServices kernel;
  private final FairScheduler scheduler;
  private final long periodPs;
  private final int nrCpus;
  private final TreeMap<Integer, Mm> mms = new TreeMap<>();
  /** {@code mm_cid} by tid. */
  private final TaskIntTable cidOfTask = new TaskIntTable(UNSET);
  /** {@code last_mm_cid} by tid. */
  private final TaskIntTable lastCid = new TaskIntTable(UNSET);
  /** {@code mm_cid_active} by tid. */
  private final BitSet active = new BitSet();

  /** An allocator for one machine; see {@link #factory(long)}. */
  public MmCid64Allocator(KernelServices kernel, FairScheduler scheduler, long periodPs) {
    this.kernel = Objects.requireNonNull(kernel);
    this.scheduler = Objects.requireNonNull(scheduler);
    if (periodPs <= 0) {
      throw new IllegalArgumentException("scan period must be positive: " + periodPs);
    }
    this.periodPs = periodPs;
    this.nrCpus = kernel.nrCpuIds();
  }

  /** A factory with the kernel's 100 ms period ({@link #DEFAULT_PERIOD_PS}). */
  public static MmCidAllocator.Factory factory() {
    return factory(DEFAULT_PERIOD_PS);
  }

  /** A factory whose allocators scan every {@code periodPs} and clear cids older than that. */
  public static MmCidAllocator.Factory factory(long periodPs) {
    return (kernel, scheduler) -> new MmCid64Allocator(kernel, scheduler, periodPs);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void mmInit(Process mm, long now) {
    Mm m = mm(mm.pid());
    m.nextScan = now + periodPs;
  }

  @Override
  public void mmRelease(Process mm, long now) {}

  @Override
  public void fork(Task child, long now) {
    int tid = child.tid();
    cidOfTask.clear(tid);
    lastCid.clear(tid);
    active.set(tid);
  }

  @Override
  public void exit(Task task, long now) {
    SchedTask st = scheduler.task(task.tid());
    int cpu = st != null ? st.cpu() : kernel.cpuOf(task);
    deactivate(task, cpu, isCurrent(cpu, task.tid()));
  }

  @Override
  public void beforeExec(Task task, int cpu, long now) {
    deactivate(task, cpu, true);
  }

  @Override
  public void afterExec(Task task, int cpu, long now) {
    int tid = task.tid();
    active.set(tid);
    int cid = mmCidGet(cpu, task.process().pid(), now);
    cidOfTask.set(tid, cid);
    lastCid.set(tid, cid);
  }

  @Override
  public void switchOut(int cpu, Task prev, long now) {
    int tid = prev.tid();
    if (!active.get(tid)) {
      return;
    }
    Mm m = mm(prev.process().pid());
    m.time[cpu] = now;
    int c = m.pcpuCid[cpu];
    if (isLazyPut(c)) {
      m.pcpuCid[cpu] = UNSET;
      m.cidmask.clear(c & ~LAZY_PUT);
      kernel.charge(cpu, BITMAP_ATOMIC_CYCLES, CostCategory.KERNEL_SWITCH);
    }
    cidOfTask.clear(tid);
  }

  @Override
  public void switchIn(int cpu, Task next, long now) {
    int tid = next.tid();
    if (!active.get(tid)) {
      return;
    }
    int cid = mmCidGet(cpu, next.process().pid(), now);
    cidOfTask.set(tid, cid);
    lastCid.set(tid, cid);
  }

  @Override
  public void migrated(Task task, int fromCpu, int toCpu, long now) {
    int tid = task.tid();
    if (!active.get(tid) || fromCpu == toCpu) {
      return;
    }
    int pid = task.process().pid();
    Mm m = mm(pid);
    boolean dstCidIsSet = m.pcpuCid[toCpu] != UNSET || m.recentCid[toCpu] != UNSET;
    if (dstCidIsSet && users(pid) >= nrCpusAllowed(pid)) {
      return;
    }
    // __sched_mm_cid_migrate_from_fetch_cid()
    int last = lastCid.get(tid);
    if (last == UNSET) {
      return;
    }
    int srcCid = m.pcpuCid[fromCpu];
    if (!isValid(srcCid) || srcCid != last) {
      return;
    }
    if (activeOfMmCurrentOn(fromCpu, pid)) {
      lastCid.clear(tid);
      return;
    }
    // __sched_mm_cid_migrate_from_try_steal_cid(): valid -> LAZY_PUT, rq->curr re-check, -> UNSET
    m.pcpuCid[fromCpu] = UNSET;
    m.recentCid[fromCpu] = UNSET;
    kernel.charge(toCpu, MIGRATE_STEAL_CYCLES, CostCategory.KERNEL_SWITCH);
    if (dstCidIsSet) {
      m.cidmask.clear(srcCid);
      m.stealFrees++;
      return;
    }
    m.time[toCpu] = now;
    m.pcpuCid[toCpu] = srcCid;
    m.recentCid[toCpu] = srcCid;
    m.steals++;
  }

  @Override
  public void cpusAllowedChanged(Task task, long now) {}

  @Override
  public void tick(int cpu, Task current, long now) {
    int tid = current.tid();
    if (!active.get(tid)) {
      return;
    }
    Mm m = mm(current.process().pid());
    if (now < m.nextScan) {
      return;
    }
    taskMmCidWork(cpu, current.process().pid(), m, now);
  }

  /**
   * {@code min(users, nr_cpus_allowed)}: {@code max_nr_cid} shrinks to it at the next allocation
   * and the compaction scan frees ids at or above the weight of the bitmap (kernel.md §2.6 "Bound").
   */
  @Override
  public int compactLimit(int pid, int users, int nrCpusAllowed) {
    return Math.min(users, nrCpusAllowed);
  }

  @Override
  public int cid(Task task) {
    int tid = task.tid();
    return cidOfTask.get(tid);
  }

  @Override
  public void publish(StatsRegistry stats) {
    for (var e : mms.entrySet()) {
      Mm m = e.getValue();
      String p = MmCidAllocator.statsPrefix(NAME, e.getKey());
      stats.longGauge(p + "compaction_scans").set(m.scans);
      stats.longGauge(p + "compaction_cleared_old").set(m.clearedOld);
      stats.longGauge(p + "compaction_cleared_weight").set(m.clearedWeight);
      stats.longGauge(p + "migration_steals").set(m.steals);
      stats.longGauge(p + "migration_steal_frees").set(m.stealFrees);
      stats.longGauge(p + "bitmap_allocations").set(m.allocations);
      stats.longGauge(p + "pcpu_reuses").set(m.reuses);
      stats.longGauge(p + "max_nr_cid").set(m.maxNrCid);
    }
  }

  // ---------------------------------------------------------------- figures for tests and reports

  /** Compaction scans of process {@code pid} so far. */
  public long compactionScans(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.scans;
  }

  /** Cids of process {@code pid} freed or marked lazy by compaction (old plus above weight). */
  public long clearedByCompaction(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.clearedOld + m.clearedWeight;
  }

  /** Cids of process {@code pid} moved to a migrating task's destination CPU. */
  public long migrationSteals(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.steals;
  }

  /** Cids of process {@code pid} stolen at migration and freed (the destination had one). */
  public long migrationStealFrees(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.stealFrees;
  }

  /** Switch-ins and execs of process {@code pid} that took a cid from the bitmap. */
  public long bitmapAllocations(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.allocations;
  }

  /** Switch-ins and execs of process {@code pid} that reused the CPU's cached cid. */
  public long pcpuReuses(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.reuses;
  }

  /** Ids allocated in process {@code pid}'s bitmap now. */
  public int allocatedIds(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.cidmask.cardinality();
  }

  /** The cid cached for process {@code pid} on {@code cpu}, {@link #LAZY_PUT} bit included. */
  public int pcpuCid(int pid, int cpu) {
    Mm m = mms.get(pid);
    return m == null ? UNSET : m.pcpuCid[cpu];
  }

  /** Whether {@code cid} is set in process {@code pid}'s bitmap. */
  public boolean isAllocated(int pid, int cid) {
    Mm m = mms.get(pid);
    return m != null && m.cidmask.get(cid);
  }

  /** Process {@code pid}'s {@code max_nr_cid}. */
  public int maxNrCid(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.maxNrCid;
  }

  /** The compaction period of this allocator, in picoseconds. */
  public long periodPs() {
    return periodPs;
  }

  // ---------------------------------------------------------------- the policy

  /** {@code mm_cid_get()}: reuse this CPU's cid, else free a lazy one and allocate. */
  private int mmCidGet(int cpu, int pid, long now) {
    Mm m = mm(pid);
    int c = m.pcpuCid[cpu];
    if (isValid(c)) {
      m.time[cpu] = now;
      m.reuses++;
      return c;
    }
    if (isLazyPut(c)) {
      m.pcpuCid[cpu] = UNSET;
      m.cidmask.clear(c & ~LAZY_PUT);
      kernel.charge(cpu, BITMAP_ATOMIC_CYCLES, CostCategory.KERNEL_SWITCH);
    }
    int cid = mmCidTryGet(cpu, pid, m);
    m.allocations++;
    kernel.charge(cpu, BITMAP_ATOMIC_CYCLES, CostCategory.KERNEL_SWITCH);
    m.time[cpu] = now;
    m.pcpuCid[cpu] = cid;
    m.recentCid[cpu] = cid;
    return cid;
  }

  /** {@code __mm_cid_try_get()} without races: shrink, recent cid, expand, lowest free. */
  private int mmCidTryGet(int cpu, int pid, Mm m) {
    int allowed = nrCpusAllowed(pid);
    int users = users(pid);
    int allowedMax = Math.min(allowed, users);
    if (m.maxNrCid > allowedMax) {
      m.maxNrCid = allowedMax;
    }
    int recent = m.recentCid[cpu];
    if (recent != UNSET && recent < m.maxNrCid && !m.cidmask.get(recent)) {
      m.cidmask.set(recent);
      return recent;
    }
    for (int cid = m.maxNrCid; cid < allowed && cid < users; cid = m.maxNrCid) {
      m.maxNrCid = cid + 1;
      if (!m.cidmask.get(cid)) {
        m.cidmask.set(cid);
        return cid;
      }
    }
    int cid = m.cidmask.nextClearBit(0);
    if (cid >= allowed) {
      throw new IllegalStateException(
          "mm " + pid + ": no free cid below nr_cpus_allowed " + allowed + " (allocated "
              + m.cidmask + ")");
    }
    m.cidmask.set(cid);
    return cid;
  }

  /** {@code sched_mm_cid_exit_signals()} / {@code before_execve()}. */
  private void deactivate(Task task, int cpu, boolean current) {
    int tid = task.tid();
    active.clear(tid);
    cidOfTask.clear(tid);
    lastCid.clear(tid);
    if (!current) {
      return;
    }
    Mm m = mm(task.process().pid());
    int c = m.pcpuCid[cpu];
    if (c == UNSET) {
      return;
    }
    m.pcpuCid[cpu] = UNSET;
    m.cidmask.clear(c & ~LAZY_PUT);
    kernel.charge(cpu, BITMAP_ATOMIC_CYCLES, CostCategory.KERNEL_SWITCH);
  }

  /** {@code task_mm_cid_work()} run by the task current on {@code cpu}. */
  private void taskMmCidWork(int cpu, int pid, Mm m, long now) {
    m.nextScan = now + periodPs;
    m.scans++;
    long cleared = 0;
    for (int c = 0; c < nrCpus; c++) {
      if (remoteClearOld(m, pid, c, now)) {
        m.clearedOld++;
        cleared++;
      }
    }
    int weight = m.cidmask.cardinality();
    for (int c = 0; c < nrCpus; c++) {
      int cid = m.pcpuCid[c];
      if (isValid(cid) && cid >= weight && remoteClear(m, pid, c)) {
        m.clearedWeight++;
        cleared++;
      }
    }
    kernel.charge(
        cpu,
        nrCpus * SCAN_CYCLES_PER_CPU + cleared * REMOTE_CLEAR_CYCLES,
        CostCategory.RETURN_TO_USER);
  }

  /** {@code sched_mm_cid_remote_clear_old()}; true when it marked or freed a cid. */
  private boolean remoteClearOld(Mm m, int pid, int cpu, long now) {
    if (activeOfMmCurrentOn(cpu, pid)) {
      m.time[cpu] = now;
      return false;
    }
    if (now < m.time[cpu] + periodPs) {
      return false;
    }
    return remoteClear(m, pid, cpu);
  }

  /**
   * {@code sched_mm_cid_remote_clear()}: a valid cid becomes {@link #LAZY_PUT}; unless an active
   * task of the mm is current on {@code cpu} (it frees the cid at its switch-out), it is unset
   * and freed now. True when the cid was marked or freed.
   */
  private boolean remoteClear(Mm m, int pid, int cpu) {
    int cid = m.pcpuCid[cpu];
    if (!isValid(cid)) {
      return false;
    }
    m.pcpuCid[cpu] = cid | LAZY_PUT;
    if (activeOfMmCurrentOn(cpu, pid)) {
      return true;
    }
    m.pcpuCid[cpu] = UNSET;
    m.cidmask.clear(cid);
    return true;
  }

  private boolean activeOfMmCurrentOn(int cpu, int pid) {
    SchedTask curr = scheduler.current(cpu);
    return curr != null
        && curr.processId() == pid
        && active.get(curr.id());
  }

  private boolean isCurrent(int cpu, int tid) {
    SchedTask curr = scheduler.current(cpu);
    return curr != null && curr.id() == tid;
  }

  private int users(int pid) {
    SchedProcess p = scheduler.process(pid);
    return p == null ? 0 : p.users();
  }

  private int nrCpusAllowed(int pid) {
    SchedProcess p = scheduler.process(pid);
    return p == null ? 0 : p.nrCpusAllowed();
  }

  /** {@code mm_cid_is_valid()}: neither unset nor lazy-put. */
  static boolean isValid(int cid) {
    return (cid & LAZY_PUT) == 0;
  }

  /** {@code mm_cid_is_lazy_put()}. */
  static boolean isLazyPut(int cid) {
    return cid != UNSET && (cid & LAZY_PUT) != 0;
  }

  private Mm mm(int pid) {
    return mms.computeIfAbsent(pid, k -> new Mm(nrCpus));
  }
}
