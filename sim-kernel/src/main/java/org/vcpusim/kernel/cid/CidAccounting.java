package org.vcpusim.kernel.cid;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import java.util.TreeMap;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * The machine's handle on its {@link MmCidAllocator}: forwards every hook to the policy and keeps
 * the statistics every policy is compared on, so that no policy has to.
 *
 * <ul>
 *   <li>Per task: how many times it was switched in, how many of those switch-ins gave it a cid
 *       different from the one it held last ({@code changes}: each one costs a GS-base write under
 *       the GS mode, and an rseq {@code mm_cid} rewrite under the on-change policy), the last and
 *       the largest cid it held.
 *   <li>Per mm: the high-water mark (largest cid + 1 any of its tasks held: the per-id memory the
 *       process must provision), how many distinct ids it used, and its tasks' changes summed.
 * </ul>
 *
 * The observation points are the moments a task's cid is defined: after {@link
 * MmCidAllocator#switchIn}, after {@link MmCidAllocator#fork} (a policy that allocates at fork, as
 * v6.19's per-task mode does) and after {@link MmCidAllocator#afterExec}. A task that has never
 * held an id has last cid {@link MmCidAllocator#UNSET}.
 *
 * <p>{@link #publish} writes them as {@code cid.task<tid>.switch_ins}, {@code .changes}, {@code
 * .max}, and {@code cid.mm<pid>.high_water}, {@code .ids_used}, {@code .changes}, plus {@code
 * cid.policy_<name>} = 1 naming the policy, then the policy's own figures ({@link
 * MmCidAllocator#publish}).
 *
 * <p><b>Caveats:</b> not thread-safe; one per machine.
 */
public final class CidAccounting {
  private static final int INITIAL_TASKS = 64;

  /** Statistics of one memory space. */
  private static final class MmStats {
    int highWater;
    long changes;
    final BitSet used = new BitSet();
  }

  private final MmCidAllocator policy;
  private final KernelServices kernel;
  private long[] switchIns = new long[INITIAL_TASKS];
  private long[] changes = new long[INITIAL_TASKS];
  private int[] lastCid = unsetTable(INITIAL_TASKS);
  private int[] maxCid = unsetTable(INITIAL_TASKS);
  private final TreeMap<Integer, MmStats> mms = new TreeMap<>();

  /** Accounting that reports nothing beyond its own statistics (for tests of a bare policy). */
  public CidAccounting(MmCidAllocator policy) {
    this(policy, null);
  }

  /**
   * Accounting that also reports every change of a task's cid to {@code kernel}'s {@link
   * KernelServices#events()} ({@link org.vcpusim.kernel.task.KernelEventListener#cidChanged}).
   */
  public CidAccounting(MmCidAllocator policy, KernelServices kernel) {
    this.policy = Objects.requireNonNull(policy);
    this.kernel = kernel;
  }

  /** The policy behind this accounting. */
  public MmCidAllocator policy() {
    return policy;
  }

  /** See {@link MmCidAllocator#mmInit}. */
  public void mmInit(Process mm, long now) {
    mms.putIfAbsent(mm.pid(), new MmStats());
    policy.mmInit(mm, now);
  }

  /** See {@link MmCidAllocator#mmRelease}. */
  public void mmRelease(Process mm, long now) {
    policy.mmRelease(mm, now);
  }

  /** See {@link MmCidAllocator#fork}. */
  public void fork(Task child, long now) {
    grow(child.tid());
    mms.putIfAbsent(child.process().pid(), new MmStats());
    policy.fork(child, now);
    observe(child, -1, false);
  }

  /** See {@link MmCidAllocator#exit}. */
  public void exit(Task task, long now) {
    policy.exit(task, now);
  }

  /** See {@link MmCidAllocator#beforeExec}. */
  public void beforeExec(Task task, int cpu, long now) {
    policy.beforeExec(task, cpu, now);
  }

  /** See {@link MmCidAllocator#afterExec}. */
  public void afterExec(Task task, int cpu, long now) {
    policy.afterExec(task, cpu, now);
    observe(task, cpu, false);
  }

  /** See {@link MmCidAllocator#switchOut}. */
  public void switchOut(int cpu, Task prev, long now) {
    policy.switchOut(cpu, prev, now);
  }

  /** See {@link MmCidAllocator#switchIn}. */
  public void switchIn(int cpu, Task next, long now) {
    policy.switchIn(cpu, next, now);
    observe(next, cpu, true);
  }

  /** See {@link MmCidAllocator#migrated}. */
  public void migrated(Task task, int fromCpu, int toCpu, long now) {
    policy.migrated(task, fromCpu, toCpu, now);
  }

  /** See {@link MmCidAllocator#cpusAllowedChanged}. */
  public void cpusAllowedChanged(Task task, long now) {
    policy.cpusAllowedChanged(task, now);
  }

  /** See {@link MmCidAllocator#tick}. */
  public void tick(int cpu, Task current, long now) {
    policy.tick(cpu, current, now);
  }

  /** The cid {@code task} holds now. */
  public int cid(Task task) {
    return policy.cid(task);
  }

  /** Switch-ins of task {@code tid}. */
  public long switchIns(int tid) {
    return tid < switchIns.length ? switchIns[tid] : 0;
  }

  /** Times task {@code tid} was given a cid different from the one it held last. */
  public long changes(int tid) {
    return tid < changes.length ? changes[tid] : 0;
  }

  /** The last cid task {@code tid} was observed to hold, or {@link MmCidAllocator#UNSET}. */
  public int lastCid(int tid) {
    return tid < lastCid.length ? lastCid[tid] : MmCidAllocator.UNSET;
  }

  /** The largest cid task {@code tid} held, or {@link MmCidAllocator#UNSET}. */
  public int maxCid(int tid) {
    return tid < maxCid.length ? maxCid[tid] : MmCidAllocator.UNSET;
  }

  /** Largest cid + 1 any task of process {@code pid} held (0 if none held one). */
  public int highWater(int pid) {
    MmStats s = mms.get(pid);
    return s == null ? 0 : s.highWater;
  }

  /** Times the tasks of process {@code pid} were given a cid different from the one they held. */
  public long mmChanges(int pid) {
    MmStats s = mms.get(pid);
    return s == null ? 0 : s.changes;
  }

  /** Distinct cids the tasks of process {@code pid} held. */
  public int idsUsed(int pid) {
    MmStats s = mms.get(pid);
    return s == null ? 0 : s.used.cardinality();
  }

  /** Writes the statistics, see the class comment. */
  public void publish(StatsRegistry stats) {
    stats.longGauge("cid.policy_" + MmCidAllocator.statsSegment(policy.name())).set(1);
    for (int tid = 1; tid < switchIns.length; tid++) {
      if (switchIns[tid] == 0 && lastCid[tid] == MmCidAllocator.UNSET) {
        continue;
      }
      String p = "cid.task" + tid + ".";
      stats.longGauge(p + "switch_ins").set(switchIns[tid]);
      stats.longGauge(p + "changes").set(changes[tid]);
      stats.longGauge(p + "max").set(maxCid[tid]);
    }
    for (var e : mms.entrySet()) {
      String p = "cid.mm" + e.getKey() + ".";
      MmStats s = e.getValue();
      stats.longGauge(p + "high_water").set(s.highWater);
      stats.longGauge(p + "ids_used").set(s.used.cardinality());
      stats.longGauge(p + "changes").set(s.changes);
    }
    policy.publish(stats);
  }

  private void observe(Task task, int cpu, boolean switchIn) {
    int tid = task.tid();
    grow(tid);
    if (switchIn) {
      switchIns[tid]++;
    }
    int cid = policy.cid(task);
    if (cid == MmCidAllocator.UNSET) {
      return;
    }
    MmStats mm = mms.computeIfAbsent(task.process().pid(), k -> new MmStats());
    if (lastCid[tid] != cid) {
      if (lastCid[tid] != MmCidAllocator.UNSET) {
        changes[tid]++;
        mm.changes++;
        if (kernel != null) {
          kernel.events().cidChanged(kernel.now(), cpu, task, lastCid[tid], cid);
        }
      }
      lastCid[tid] = cid;
    }
    maxCid[tid] = Math.max(maxCid[tid], cid);
    mm.highWater = Math.max(mm.highWater, cid + 1);
    mm.used.set(cid);
  }

  private void grow(int tid) {
    if (tid < switchIns.length) {
      return;
    }
    int old = switchIns.length;
    int n = Math.max(tid + 1, old * 2);
    switchIns = Arrays.copyOf(switchIns, n);
    changes = Arrays.copyOf(changes, n);
    lastCid = Arrays.copyOf(lastCid, n);
    maxCid = Arrays.copyOf(maxCid, n);
    Arrays.fill(lastCid, old, n, MmCidAllocator.UNSET);
    Arrays.fill(maxCid, old, n, MmCidAllocator.UNSET);
  }

  private static int[] unsetTable(int n) {
    int[] t = new int[n];
    Arrays.fill(t, MmCidAllocator.UNSET);
    return t;
  }
}
