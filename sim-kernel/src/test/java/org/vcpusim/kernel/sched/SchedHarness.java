package org.vcpusim.kernel.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.vcpusim.kernel.testing.Resched;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * Drives a {@link FairScheduler} the way the machine will: it keeps the clock, ticks every CPU
 * each tick period, runs the periodic load balance at its interval, and after every operation
 * calls {@link FairScheduler#schedule} on each CPU whose need_resched is set (the next instruction
 * boundary of a CPU happens at once in this harness). It records every observer event and, after
 * every settled step, checks {@link SchedInvariants} and the bounded-wait property.
 *
 * <h2>The bounded-wait property</h2>
 *
 * <p>For nice-0 tasks (vruntime advances at the rate of real time), with L the latency, G the
 * minimum granularity, γ the wake-up granularity, τ the tick period and S = max(L/2, G) the
 * longest slice a task can get while another is runnable, a task T waits at most {@code c × E}
 * where
 *
 * <pre>
 *   D = max(γ + G, S) + τ      the most a running task's vruntime can exceed the leftmost's
 *   Λ = max(L, D)              the most any task's vruntime exceeds min_vruntime when it arrives
 *                              on a run queue (a woken or moved task keeps the lag it had when it
 *                              stopped running, at most D; a new task takes max(its parent's lag,
 *                              vslice <= L))
 *   E = Λ + L/2 + γ + S + τ    the most one competitor can run while T waits
 * </pre>
 *
 * and {@code c} counts competitor arrivals: each time T arrives on a run queue (created, woken,
 * preempted, migrated) it adds one plus the number of other tasks there, and every later arrival
 * of another task on T's run queue adds one. Why: while T is queued, min_vruntime stays at or
 * below the larger of its value when T arrived and T's vruntime; every task on a run queue stays
 * within L/2 below its min_vruntime ({@link SchedInvariants} checks this); a task is picked ahead
 * of T only while its
 * vruntime is at most γ past T's (leftmost, or the second beside a skip buddy), and a picked task
 * runs at most S + τ before the tick takes the CPU back. So a competitor that arrived at vruntime
 * ≥ min_vruntime − L/2 runs at most (T's lag + L/2 + γ) + (S + τ) before it can no longer be picked
 * ahead of T, and the task running when T arrived at most S + τ more. Sleeper credit is granted per
 * wake-up, so the bound is per arrival: an adversary that keeps waking tasks with credit onto T's
 * CPU delays T, as in CFS, and each such arrival is counted.
 *
 * <p><b>Caveats:</b> test scaffolding; not thread-safe.
 */
final class SchedHarness implements SchedObserver {
  final FairScheduler sched;
  final SchedInvariants invariants = new SchedInvariants();
  final List<String> events = new ArrayList<>();
  final long tickPs;
  final long waitUnitPs;
  long now;
  boolean checkWaitBound = true;
  boolean recordEvents = true;
  long steps;
  double maxWaitRatio;
  private long nextBalance;
  private final TreeMap<Integer, Long> competitors = new TreeMap<>();
  private int lastMigratedTask = -1;
  private int lastMigratedCpu = -1;

  SchedHarness(CpuTopology topology, SchedParams params) {
    this.sched = new FairScheduler(topology, params, this);
    this.tickPs = params.tickPeriodPs();
    this.waitUnitPs = waitUnit(params);
    this.nextBalance = params.balanceIntervalPs();
  }

  /** E of the class comment. */
  static long waitUnit(SchedParams p) {
    long l = p.latencyPs();
    long g = p.minGranularityPs();
    long gamma = p.wakeupGranularityPs();
    long tau = p.tickPeriodPs();
    long s = Math.max(l / 2, g);
    long d = Math.max(gamma + g, s) + tau;
    long lambda = Math.max(l, d);
    return lambda + l / 2 + gamma + s + tau;
  }

  /** Runs {@code op} at the current time, settles need_resched, checks. */
  void step(Runnable op) {
    op.run();
    settle();
    check();
  }

  /** Advances time by {@code n} ticks, ticking every CPU and balancing when due, checking each. */
  void ticks(int n) {
    for (int i = 0; i < n; i++) {
      now += tickPs;
      for (int cpu = 0; cpu < sched.topology().nrCpus(); cpu++) {
        sched.tick(cpu, now);
      }
      if (now >= nextBalance) {
        sched.balance(now);
        nextBalance += sched.params().balanceIntervalPs();
      }
      settle();
      check();
    }
  }

  /** Calls schedule on every CPU with need_resched until none is left ({@link Resched}). */
  void settle() {
    Resched.settle(sched, now);
  }

  /** Invariants plus the bounded wait; throws an AssertionError naming every violation. */
  void check() {
    steps++;
    List<String> v = invariants.check(sched);
    if (checkWaitBound) {
      for (SchedTask t : sched.tasks()) {
        if (t.state() != TaskState.RUNNABLE) {
          continue;
        }
        long waited = now - t.waitStart();
        Long c = competitors.get(t.id());
        if (c == null) {
          v.add(t + " waits but never arrived on a run queue");
          continue;
        }
        long bound = c * waitUnitPs;
        maxWaitRatio = Math.max(maxWaitRatio, (double) waited / bound);
        if (waited > bound) {
          v.add(
              String.format(
                  Locale.ROOT,
                  "%s waited %d ps since %d, past the bound %d x %d ps",
                  t,
                  waited,
                  t.waitStart(),
                  c,
                  waitUnitPs));
        }
      }
    }
    if (!v.isEmpty()) {
      throw new AssertionError("at t=" + now + ": " + String.join("; ", v));
    }
  }

  private void arrival(SchedTask task, int cpu) {
    RunQueue rq = sched.runQueue(cpu);
    competitors.merge(task.id(), (long) rq.nrRunning(), Long::sum);
    for (SchedTask w : rq.queued()) {
      if (w != task) {
        competitors.merge(w.id(), 1L, Long::sum);
      }
    }
  }

  private void log(String event) {
    if (recordEvents) {
      events.add(event);
    }
  }

  @Override
  public void switchOut(int cpu, SchedTask prev, SwitchReason reason, long at) {
    lastMigratedTask = -1;
    if (reason == SwitchReason.PREEMPT || reason == SwitchReason.YIELD) {
      competitors.put(prev.id(), (long) sched.runQueue(cpu).nrRunning());
    }
    log("out cpu" + cpu + " t" + prev.id() + " " + reason + " @" + at);
  }

  @Override
  public void switchIn(int cpu, SchedTask next, long at) {
    lastMigratedTask = -1;
    competitors.remove(next.id());
    log("in cpu" + cpu + " t" + next.id() + " @" + at);
  }

  @Override
  public void idle(int cpu, long at) {
    lastMigratedTask = -1;
    log("idle cpu" + cpu + " @" + at);
  }

  @Override
  public void reschedule(int cpu, long at) {
    lastMigratedTask = -1;
    log("resched cpu" + cpu + " @" + at);
  }

  @Override
  public void wakeup(SchedTask task, int cpu, long at) {
    if (lastMigratedTask != task.id() || lastMigratedCpu != cpu) {
      arrival(task, cpu);
    }
    lastMigratedTask = -1;
    log("wakeup t" + task.id() + " cpu" + cpu + " @" + at);
  }

  @Override
  public void wakeupNew(SchedTask task, int cpu, long at) {
    lastMigratedTask = -1;
    arrival(task, cpu);
    log("new t" + task.id() + " cpu" + cpu + " @" + at);
  }

  @Override
  public void migrated(SchedTask task, int fromCpu, int toCpu, long at) {
    arrival(task, toCpu);
    lastMigratedTask = task.id();
    lastMigratedCpu = toCpu;
    log("migrate t" + task.id() + " cpu" + fromCpu + "->cpu" + toCpu + " @" + at);
  }

  @Override
  public void cpusAllowedChanged(SchedTask task, long at) {
    lastMigratedTask = -1;
    log("allowed t" + task.id() + " " + task.cpusAllowed() + " @" + at);
  }

  @Override
  public void exited(SchedTask task, long at) {
    lastMigratedTask = -1;
    competitors.remove(task.id());
    log("exit t" + task.id() + " @" + at);
  }
}
