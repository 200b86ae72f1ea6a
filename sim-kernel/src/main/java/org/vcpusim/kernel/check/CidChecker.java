package org.vcpusim.kernel.check;

import java.util.Arrays;
import java.util.Locale;
import org.vcpusim.kernel.cid.MmCidAllocator;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.sched.SchedProcess;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * The concurrency-id rules, checked after every switch-in, when the allocator has decided the id
 * of the task that starts running (the id of a running task is fixed at switch-in, kernel.md
 * §8.2, so every (task, id) pair a CPU runs with is seen):
 *
 * <ul>
 *   <li>{@link CheckKind#CID_UNIQUE}: no other task of the same mm running on another CPU holds
 *       the same id — the first ABI requirement of the v6.19 rewrite (kernel.md §3.3, {@code
 *       mm_cid_schedin()} in kernel/sched/sched.h) and what makes per-id data safe.
 *   <li>{@link CheckKind#CID_BOUND}: {@code 0 <= cid < nr_cpu_ids} — the second requirement: the id
 *       space never exceeds the possible CPUs, so per-id arrays sized by {@code nr_cpu_ids} hold it.
 *   <li>{@link CheckKind#CID_COMPACT}: for an allocator that promises compaction ({@link
 *       MmCidAllocator#compactLimit}), once the mm has gone {@link CheckConfig#quietPeriodPs()}
 *       without a fork, exit or affinity change, the id is below the limit the policy states for
 *       the mm's {@link SchedProcess#users()} and {@link SchedProcess#nrCpusAllowed()}: {@code
 *       min(users, nr_cpus_allowed)} for v6.4–v6.18 (kernel.md §2.6, {@code mm_cid_get()} and the
 *       100 ms scan {@code task_mm_cid_work()} of kernel/sched/core.c) and the 2022 allocator, the
 *       mm's {@code max_cids} for v6.19 (§3.3).
 * </ul>
 *
 * <p>Cost: a switch-in looks at every CPU's current task once (O(nr_cpus)); nothing per
 * instruction.
 *
 * <p><b>Caveats:</b> a task that runs without being switched (one task per CPU, never preempted)
 * is checked once, when it was switched in. A disturbance is a task of the mm created ({@code
 * wakeupNew}), exiting, or having its affinity changed; {@code execve} is not one. Not
 * thread-safe.
 */
final class CidChecker {

  /** Initial size of the per-pid table of last disturbances; it doubles as pids grow. */
  private static final int INITIAL_MMS = 16;

  private final Checkers checkers;
  private final KernelServices kernel;
  private final FairScheduler scheduler;
  private final boolean unique;
  private final boolean bound;
  private final boolean compact;
  private final MmCidAllocator allocator;
  private final long quietPs;
  /** Per pid: the tick of the last fork, exit or affinity change of one of its tasks. */
  private long[] lastDisturbance = new long[INITIAL_MMS];

  CidChecker(Checkers checkers, KernelServices kernel, FairScheduler scheduler,
      MmCidAllocator allocator) {
    this.checkers = checkers;
    this.kernel = kernel;
    this.scheduler = scheduler;
    this.unique = checkers.enabled(CheckKind.CID_UNIQUE);
    this.bound = checkers.enabled(CheckKind.CID_BOUND);
    this.compact = checkers.enabled(CheckKind.CID_COMPACT)
;
    this.allocator = allocator;
    this.quietPs = checkers.config().quietPeriodPs();
  }

  /** A task of process {@code pid} was created, exited or changed its affinity at {@code now}. */
  void disturbed(int pid, long now) {
    if (pid >= lastDisturbance.length) {
      lastDisturbance = Arrays.copyOf(lastDisturbance, Math.max(pid + 1, 2 * lastDisturbance.length));
    }
    lastDisturbance[pid] = now;
  }

  void switchIn(int cpu, SchedTask next, long now) {
    Task t = kernel.task(next.id());
    if (t == null) {
      return;
    }
    Process mm = t.process();
    int cid = kernel.mmCid(t);
    if (bound && (cid < 0 || cid >= kernel.nrCpuIds())) {
      checkers.report(CheckKind.CID_BOUND, now, cpu, t.tid(), String.format(Locale.ROOT,
          "%s switched in on cpu %d holds cid %d of mm %d, outside [0, nr_cpu_ids = %d)", t, cpu,
          cid, mm.pid(), kernel.nrCpuIds()));
    }
    if (unique) {
      for (int other = 0; other < kernel.nrCpuIds(); other++) {
        Task u = other == cpu ? null : kernel.currentOn(other);
        if (u != null && u.process() == mm && kernel.mmCid(u) == cid) {
          checkers.report(CheckKind.CID_UNIQUE, now, cpu, t.tid(), String.format(Locale.ROOT,
              "%s switched in on cpu %d holds cid %d of mm %d, which %s running on cpu %d holds"
                  + " too", t, cpu, cid, mm.pid(), u, other));
        }
      }
    }
    if (compact) {
      int pid = mm.pid();
      long since = pid < lastDisturbance.length ? lastDisturbance[pid] : 0;
      SchedProcess sp = scheduler.process(pid);
      if (sp != null && now - since >= quietPs) {
        int limit = allocator.compactLimit(pid, sp.users(), sp.nrCpusAllowed());
        if (cid >= limit) {
          checkers.report(CheckKind.CID_COMPACT, now, cpu, t.tid(), String.format(Locale.ROOT,
              "%s switched in on cpu %d holds cid %d of mm %d, not below the %s limit %d (users %d,"
                  + " nr_cpus_allowed %d) although the mm has been quiet since %d ps", t, cpu,
              cid, pid, allocator.name(), limit, sp.users(), sp.nrCpusAllowed(), since));
        }
      }
    }
  }
}
