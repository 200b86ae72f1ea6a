package org.vcpusim.kernel.cid;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import java.util.TreeMap;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * The first concurrency-id allocator ({@code vcpu-2022} in scenarios): the 2022 series'
 * {@code switch_mm_vcpu()} as merged in v6.3 ({@code af7f588d8f73}, reference {@code kernel.md}
 * §1.2 and §2.5), without its NUMA variant. Followed: {@code kernel/sched/sched.h} of v6.3, {@code
 * mm_cid_get()}, {@code mm_cid_put()}, {@code switch_mm_cid()} (the lines removed by {@code
 * 223baf9d17f2}, lore:20230410150150.2179062-1-mathieu.desnoyers@efficios.com), and {@code
 * kernel/sched/core.c} {@code sched_mm_cid_exit_signals()}, {@code sched_mm_cid_before_execve()},
 * {@code sched_mm_cid_after_execve()}, {@code sched_mm_cid_fork()}.
 *
 * <ul>
 *   <li>Per mm: a bitmap of allocated ids ({@code mm_cidmask}) under a per-mm spinlock ({@code
 *       mm->cid_lock}). Allocation takes the lock and sets the <em>lowest clear bit</em> ({@code
 *       cpumask_first_zero}); release takes the lock and clears the bit.
 *   <li>Per task: its id ({@code mm_cid}, {@link #UNSET} when none) and {@code mm_cid_active}.
 *   <li>Context switch ({@code switch_mm_cid(prev, next)}): if both are active and share the mm,
 *       next takes prev's id directly — no bitmap, no lock. Otherwise an active prev releases its
 *       id and an active next allocates one. Switching to idle releases. A task that is not
 *       running therefore never holds an id, and the ids held at any moment are exactly those of
 *       the mm's running tasks; since allocation picks the lowest free id, every id is below the
 *       largest number of the mm's tasks that ever ran at once.
 *   <li>Lifecycle: {@link #fork} makes the task active with no id (its first switch-in
 *       allocates); {@link #exit} and {@link #beforeExec} release and deactivate; {@link
 *       #afterExec} reactivates and allocates at once.
 * </ul>
 *
 * <p>{@link #switchOut} learns the next task from the scheduler's {@code rq->curr}, which {@link
 * FairScheduler} sets before it announces the switch (as {@code __schedule()} does before {@code
 * context_switch()}), so the hand-over decision is the kernel's, made with both tasks known.
 *
 * <h2>The lock as a resource</h2>
 *
 * <p>The lock is what made the kernel replace this allocator in v6.4: with many processes of a
 * few threads each, {@code native_queued_spin_lock_slowpath} grew to 43 % of the profile and
 * {@code __schedule} from 7.3 % to 49 % (Aaron Lu, sysbench + PostgreSQL,
 * lore:20230327104235.GB571475@ziqianlu-desk2; kernel.md §2.5). The model: each mm's lock is free
 * from a time {@code freeAt}. An acquisition on a CPU at time {@code t} — the later of the hook's
 * time and the end of that CPU's previous acquisition within the same instant (a release followed
 * by an allocation in one switch runs back to back) — spins {@code max(0, freeAt − t)}, then
 * holds the lock for {@link #DEFAULT_LOCK_HOLD_CYCLES} and moves {@code freeAt} to the end of the
 * hold. Spin plus hold are charged to the CPU as {@link CostCategory#KERNEL_SWITCH} ({@link
 * KernelServices#charge}). Two CPUs switching at the same instant therefore wait for each other:
 * the {@code n}-th of {@code n} simultaneous acquisitions spins {@code (n − 1)} hold times.
 *
 * <p>Per mm it reports lock acquisitions, total and largest spin (ps and cycles), and hand-overs,
 * as {@code cid.vcpu-2022.mm<pid>.lock_acquisitions}, {@code .lock_wait_ps}, {@code
 * .lock_wait_cycles}, {@code .lock_wait_max_ps}, {@code .handovers} ({@link #publish}).
 *
 * <p><b>Caveats:</b> not thread-safe; one instance per machine. The hold time is a cycle figure
 * chosen from the zen5 profile's cross-core transfer (see {@link #DEFAULT_LOCK_HOLD_CYCLES}); it
 * does not follow the machine's profile unless a factory is built with another value. The lock
 * is FIFO-fair by construction (acquisitions are served in the order the machine calls the
 * hooks), which a test-and-set spinlock is not; qspinlock, which v6.3 used, is FIFO.
 */
public final class Vcpu2022CidAllocator implements MmCidAllocator {
  /** The scenario name of this policy. */
  public static final String NAME = "vcpu-2022";

  /**
   * Cycles the per-mm {@code cid_lock} is held per acquisition, the critical section of {@code
   * mm_cid_get()} / {@code mm_cid_put()} as other CPUs see it: under contention the lock word's
   * cache line comes from the previous holder's core (zen5 {@code memory.crossCoreSameLlc} = 58
   * cycles) and is taken with a locked RMW ({@code system.lockedRmw} = 19); the bitmap's line,
   * written by the previous holder, comes over as well (58); the bit search and set over one
   * 64-bit word is a few simple ops (5). 58 + 19 + 58 + 5 = 140 cycles = 41 ns at 3.4 GHz. The
   * kernel's spinning waiters are not charged the hold twice: each waiter's spin ends when the
   * previous hold does.
   */
  public static final long DEFAULT_LOCK_HOLD_CYCLES = 140;

  /** Per-mm state: the bitmap, the lock as a resource, the statistics. */
  private static final class Mm {
    final BitSet cidmask = new BitSet();
    long lockFreeAt = Long.MIN_VALUE;
    long acquisitions;
    long waitPs;
    long waitCycles;
    long maxWaitPs;
    long handovers;
  }

  private final KernelServices kernel;
  private final FairScheduler scheduler;
  private final long holdCycles;
  private final long holdPs;
  private final TreeMap<Integer, Mm> mms = new TreeMap<>();
  private final TaskIntTable cidOfTask = new TaskIntTable(UNSET);
  /** {@code mm_cid_active} by tid. */
  private final BitSet active = new BitSet();
  /** Per CPU: the id prev handed to the next task of its mm, or UNSET; consumed by switchIn. */
  private final int[] handoverCid;
  private final int[] handoverPid;
  /** Per CPU: when its last lock acquisition ended (back-to-back acquisitions queue on it). */
  private final long[] cpuBusyUntil;

  /** An allocator for one machine; see {@link #factory(long)}. */
  public Vcpu2022CidAllocator(KernelServices kernel, FairScheduler scheduler, long holdCycles) {
    this.kernel = Objects.requireNonNull(kernel);
    this.scheduler = Objects.requireNonNull(scheduler);
    if (holdCycles <= 0) {
      throw new IllegalArgumentException("lock hold must be positive: " + holdCycles);
    }
    this.holdCycles = holdCycles;
    this.holdPs = Ticks.fromCycles(holdCycles, kernel.frequencyHz());
    int n = kernel.nrCpuIds();
    this.handoverCid = new int[n];
    Arrays.fill(handoverCid, UNSET);
    this.handoverPid = new int[n];
    this.cpuBusyUntil = new long[n];
    Arrays.fill(cpuBusyUntil, Long.MIN_VALUE);
  }

  /** A factory with the default lock hold time {@link #DEFAULT_LOCK_HOLD_CYCLES}. */
  public static MmCidAllocator.Factory factory() {
    return factory(DEFAULT_LOCK_HOLD_CYCLES);
  }

  /** A factory whose allocators hold the per-mm lock {@code holdCycles} per acquisition. */
  public static MmCidAllocator.Factory factory(long holdCycles) {
    return (kernel, scheduler) -> new Vcpu2022CidAllocator(kernel, scheduler, holdCycles);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void mmInit(Process mm, long now) {
    mms.putIfAbsent(mm.pid(), new Mm());
  }

  @Override
  public void mmRelease(Process mm, long now) {}

  @Override
  public void fork(Task child, long now) {
    cidOfTask.clear(child.tid());
    active.set(child.tid());
  }

  @Override
  public void exit(Task task, long now) {
    deactivateAndRelease(task, now);
  }

  @Override
  public void beforeExec(Task task, int cpu, long now) {
    deactivateAndRelease(task, now);
  }

  @Override
  public void afterExec(Task task, int cpu, long now) {
    active.set(task.tid());
    cidOfTask.set(task.tid(), allocate(cpu, task.process().pid(), now));
  }

  @Override
  public void switchOut(int cpu, Task prev, long now) {
    int tid = prev.tid();
    int cid = cidOfTask.get(tid);
    if (!active.get(tid) || cid == UNSET) {
      return;
    }
    cidOfTask.clear(tid);
    int pid = prev.process().pid();
    SchedTask next = scheduler.current(cpu);
    if (next != null && next.processId() == pid && active.get(next.id())) {
      handoverCid[cpu] = cid;
      handoverPid[cpu] = pid;
      mm(pid).handovers++;
      return;
    }
    release(cpu, pid, cid, now);
  }

  @Override
  public void switchIn(int cpu, Task next, long now) {
    int tid = next.tid();
    int pid = next.process().pid();
    int handed = handoverCid[cpu];
    handoverCid[cpu] = UNSET;
    if (handed != UNSET && handoverPid[cpu] != pid) {
      release(cpu, handoverPid[cpu], handed, now);
      handed = UNSET;
    }
    if (!active.get(tid)) {
      if (handed != UNSET) {
        release(cpu, pid, handed, now);
      }
      return;
    }
    cidOfTask.set(tid, handed != UNSET ? handed : allocate(cpu, pid, now));
  }

  @Override
  public void migrated(Task task, int fromCpu, int toCpu, long now) {}

  @Override
  public void cpusAllowedChanged(Task task, long now) {}

  @Override
  public void tick(int cpu, Task current, long now) {}

  /** Lowest-free allocation keeps every id below the mm's running tasks, so below this. */
  @Override
  public int compactLimit(int pid, int users, int nrCpusAllowed) {
    return Math.min(users, nrCpusAllowed);
  }

  @Override
  public int cid(Task task) {
    return cidOfTask.get(task.tid());
  }

  @Override
  public void publish(StatsRegistry stats) {
    for (var e : mms.entrySet()) {
      Mm m = e.getValue();
      String p = MmCidAllocator.statsPrefix(NAME, e.getKey());
      stats.longGauge(p + "lock_acquisitions").set(m.acquisitions);
      stats.longGauge(p + "lock_wait_ps").set(m.waitPs);
      stats.longGauge(p + "lock_wait_cycles").set(m.waitCycles);
      stats.longGauge(p + "lock_wait_max_ps").set(m.maxWaitPs);
      stats.longGauge(p + "handovers").set(m.handovers);
    }
  }

  // ---------------------------------------------------------------- figures for tests and reports

  /** Acquisitions of process {@code pid}'s lock so far. */
  public long lockAcquisitions(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.acquisitions;
  }

  /** Total time CPUs spun on process {@code pid}'s lock, in picoseconds. */
  public long lockWaitPs(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.waitPs;
  }

  /** Total cycles CPUs spun on process {@code pid}'s lock. */
  public long lockWaitCycles(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.waitCycles;
  }

  /** The longest single spin on process {@code pid}'s lock, in picoseconds. */
  public long lockWaitMaxPs(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.maxWaitPs;
  }

  /** Same-mm switches that handed the id over without the lock. */
  public long handovers(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.handovers;
  }

  /** Ids allocated in process {@code pid}'s bitmap now. */
  public int allocatedIds(int pid) {
    Mm m = mms.get(pid);
    return m == null ? 0 : m.cidmask.cardinality();
  }

  /** The lock hold time of this allocator, in cycles. */
  public long holdCycles() {
    return holdCycles;
  }

  // ---------------------------------------------------------------- the policy

  private void deactivateAndRelease(Task task, long now) {
    int tid = task.tid();
    active.clear(tid);
    int cid = cidOfTask.get(tid);
    cidOfTask.clear(tid);
    if (cid != UNSET) {
      release(kernel.cpuOf(task), task.process().pid(), cid, now);
    }
  }

  /** {@code mm_cid_get()}: lock, lowest clear bit, set, unlock. */
  private int allocate(int cpu, int pid, long now) {
    Mm m = mm(pid);
    lock(cpu, m, now);
    int cid = m.cidmask.nextClearBit(0);
    if (cid >= kernel.nrCpuIds()) {
      throw new IllegalStateException(
          "mm " + pid + " has every id below nr_cpu_ids allocated: more running tasks than CPUs");
    }
    m.cidmask.set(cid);
    return cid;
  }

  /** {@code mm_cid_put()}: lock, clear the bit, unlock. */
  private void release(int cpu, int pid, int cid, long now) {
    Mm m = mm(pid);
    lock(cpu, m, now);
    m.cidmask.clear(cid);
  }

  /** One acquisition and hold of {@code m}'s lock by {@code cpu}; charges spin plus hold. */
  private void lock(int cpu, Mm m, long now) {
    long start = Math.max(now, cpuBusyUntil[cpu]);
    long waitPs = Math.max(0, m.lockFreeAt - start);
    long acquired = start + waitPs;
    m.lockFreeAt = acquired + holdPs;
    cpuBusyUntil[cpu] = m.lockFreeAt;
    long waitCycles = Ticks.toCycles(waitPs, kernel.frequencyHz());
    m.acquisitions++;
    m.waitPs += waitPs;
    m.waitCycles += waitCycles;
    m.maxWaitPs = Math.max(m.maxWaitPs, waitPs);
    kernel.charge(cpu, waitCycles + holdCycles, CostCategory.KERNEL_SWITCH);
  }

  private Mm mm(int pid) {
    return mms.computeIfAbsent(pid, k -> new Mm());
  }
}
