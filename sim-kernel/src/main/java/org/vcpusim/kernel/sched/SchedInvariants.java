package org.vcpusim.kernel.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * Checks the structural invariants of a {@link FairScheduler} between operations, from its public
 * queries only, and reports every violation with the CPU, task and values involved. What it checks
 * is what the kernel asserts with {@code SCHED_WARN_ON}/{@code BUG_ON} in {@code kernel/sched/} or
 * relies on implicitly:
 *
 * <ol>
 *   <li>a task is the current task of at most one CPU and is queued at most once, never both;
 *   <li>a RUNNING task is the current task of exactly its {@code cpu()}, a RUNNABLE one is queued
 *       on exactly its {@code cpu()}'s run queue, a SLEEPING or EXITED one is on no run queue;
 *   <li>every running or queued task's CPU is in its effective mask, which is non-empty, inside
 *       its process's cpuset, and equal to its request within the cpuset (or the whole cpuset when
 *       they do not meet);
 *   <li>{@code nr_running} and {@code load} of every run queue equal what is running and queued
 *       there;
 *   <li>{@code min_vruntime} of every CPU never decreases (across calls of this checker), and no
 *       running or queued task is more than latency/2 below it (the most sleeper credit {@code
 *       place_entity()} grants; migration preserves the distance);
 *   <li>a CPU with queued tasks but nothing running has need_resched set (no lost wake-up);
 *   <li>the skip buddy, if any, is queued on its run queue;
 *   <li>a task waits ({@code waitStart() >= 0}) exactly when it is RUNNABLE, and not since the
 *       future;
 *   <li>each process's users count equals its live threads, and its grow-only allowed mask
 *       contains every live thread's mask and never shrinks (across calls).
 * </ol>
 *
 * <p><b>Caveats:</b> not thread-safe; keeps the last seen min_vruntime and grow-only masks, so use
 * one instance per scheduler.
 */
public final class SchedInvariants {
  private final Map<Integer, Long> lastMinVruntime = new TreeMap<>();
  private final Map<Integer, CpuMask> lastGrowOnly = new TreeMap<>();

  /** Every violation found now, in a deterministic order; empty when the state is consistent. */
  public List<String> check(FairScheduler s) {
    List<String> v = new ArrayList<>();
    int nrCpus = s.topology().nrCpus();
    long halfLatency = s.params().latencyPs() / 2;
    Map<Integer, Integer> currentOn = new TreeMap<>();
    Map<Integer, Integer> queuedOn = new TreeMap<>();

    for (int cpu = 0; cpu < nrCpus; cpu++) {
      RunQueue rq = s.runQueue(cpu);
      SchedTask curr = rq.current();
      List<SchedTask> queued = rq.queued();
      int nr = queued.size();
      long load = 0;
      if (curr != null) {
        nr++;
        load += curr.weight();
        Integer other = currentOn.put(curr.id(), cpu);
        if (other != null) {
          v.add("task " + curr.id() + " is current on cpu " + other + " and cpu " + cpu);
        }
        if (curr.state() != TaskState.RUNNING || curr.cpu() != cpu) {
          v.add("cpu " + cpu + " runs " + curr + ", which should be RUNNING on cpu " + cpu);
        }
        checkPlacement(v, cpu, curr, rq, halfLatency);
      }
      for (SchedTask t : queued) {
        load += t.weight();
        Integer other = queuedOn.put(t.id(), cpu);
        if (other != null) {
          v.add("task " + t.id() + " is queued on cpu " + other + " and cpu " + cpu);
        }
        if (t.state() != TaskState.RUNNABLE || t.cpu() != cpu) {
          v.add("cpu " + cpu + " queues " + t + ", which should be RUNNABLE on cpu " + cpu);
        }
        checkPlacement(v, cpu, t, rq, halfLatency);
      }
      if (rq.nrRunning() != nr) {
        v.add("cpu " + cpu + " nr_running " + rq.nrRunning() + " but " + nr + " tasks are there");
      }
      if (rq.load() != load) {
        v.add("cpu " + cpu + " load " + rq.load() + " but the weights there sum to " + load);
      }
      Long last = lastMinVruntime.put(cpu, rq.minVruntime());
      if (last != null && rq.minVruntime() < last) {
        v.add("cpu " + cpu + " min_vruntime went back from " + last + " to " + rq.minVruntime());
      }
      if (curr == null && !queued.isEmpty() && !rq.needResched()) {
        v.add("cpu " + cpu + " is idle with " + queued.size() + " queued tasks and no need_resched");
      }
      SchedTask skip = rq.skipBuddy();
      if (skip != null && !queued.contains(skip)) {
        v.add("cpu " + cpu + " skip buddy " + skip.id() + " is not queued there");
      }
    }

    for (Map.Entry<Integer, Integer> e : currentOn.entrySet()) {
      Integer q = queuedOn.get(e.getKey());
      if (q != null) {
        v.add(
            "task " + e.getKey() + " is current on cpu " + e.getValue() + " and queued on cpu " + q);
      }
    }

    for (SchedTask t : s.tasks()) {
      boolean isCurrent = currentOn.containsKey(t.id());
      boolean isQueued = queuedOn.containsKey(t.id());
      switch (t.state()) {
        case RUNNING:
          if (!isCurrent) {
            v.add(t + " is RUNNING but no CPU runs it");
          }
          break;
        case RUNNABLE:
          if (!isQueued) {
            v.add(t + " is RUNNABLE but on no run queue");
          }
          break;
        default:
          if (isCurrent || isQueued) {
            v.add(t + " is " + t.state() + " but still on cpu " + t.cpu());
          }
          break;
      }
      boolean waiting = t.waitStart() >= 0;
      if (waiting != (t.state() == TaskState.RUNNABLE)) {
        v.add(t + " has wait start " + t.waitStart() + " in state " + t.state());
      }
      if (t.waitStart() > s.now()) {
        v.add(t + " started waiting at " + t.waitStart() + ", after now " + s.now());
      }
      if (t.state().isLive()) {
        checkMasks(v, s, t);
      }
    }

    for (SchedProcess p : s.processes()) {
      int live = 0;
      CpuMask union = CpuMask.empty();
      for (SchedTask t : s.tasks()) {
        if (t.processId() == p.id() && t.state().isLive()) {
          live++;
          union = union.or(t.cpusAllowed());
        }
      }
      if (p.users() != live) {
        v.add("process " + p.id() + " users " + p.users() + " but " + live + " live threads");
      }
      if (!union.equals(p.cpusAllowed())) {
        v.add("process " + p.id() + " cpusAllowed " + p.cpusAllowed() + " but threads allow " + union);
      }
      if (!union.isSubsetOf(p.cpusAllowedGrowOnly())) {
        v.add(
            "process "
                + p.id()
                + " grow-only mask "
                + p.cpusAllowedGrowOnly()
                + " misses thread CPUs "
                + union.andNot(p.cpusAllowedGrowOnly()));
      }
      CpuMask before = lastGrowOnly.put(p.id(), p.cpusAllowedGrowOnly());
      if (before != null && !before.isSubsetOf(p.cpusAllowedGrowOnly())) {
        v.add(
            "process "
                + p.id()
                + " grow-only mask shrank from "
                + before
                + " to "
                + p.cpusAllowedGrowOnly());
      }
    }
    return v;
  }

  /**
   * Throws if {@link #check} finds anything.
   *
   * @throws IllegalStateException listing every violation
   */
  public void verify(FairScheduler s) {
    List<String> violations = check(s);
    if (!violations.isEmpty()) {
      throw new IllegalStateException(
          "scheduler invariants violated at t=" + s.now() + ":\n  " + String.join("\n  ", violations));
    }
  }

  private static void checkPlacement(
      List<String> v, int cpu, SchedTask t, RunQueue rq, long halfLatency) {
    if (!t.cpusAllowed().contains(cpu)) {
      v.add(t + " is on cpu " + cpu + " outside its allowed CPUs " + t.cpusAllowed());
    }
    if (t.vruntime() < rq.minVruntime() - halfLatency) {
      v.add(
          t
              + " lags min_vruntime "
              + rq.minVruntime()
              + " of cpu "
              + cpu
              + " by more than latency/2 = "
              + halfLatency);
    }
  }

  private static void checkMasks(List<String> v, FairScheduler s, SchedTask t) {
    SchedProcess p = s.process(t.processId());
    CpuMask allowed = t.cpusAllowed();
    if (allowed.isEmpty()) {
      v.add(t + " has an empty allowed mask");
      return;
    }
    if (p == null) {
      v.add(t + " belongs to no known process");
      return;
    }
    if (!allowed.isSubsetOf(p.cpuset())) {
      v.add(t + " allows " + allowed + " outside its cpuset " + p.cpuset());
    }
    CpuMask both = t.userMask().and(p.cpuset());
    CpuMask expected = both.isEmpty() ? p.cpuset() : both;
    if (!allowed.equals(expected)) {
      v.add(
          t
              + " allows "
              + allowed
              + " but request "
              + t.userMask()
              + " within cpuset "
              + p.cpuset()
              + " is "
              + expected);
    }
  }
}
