package org.vcpusim.kernel.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * The scheduler's per-process (per-mm) state: the process's cpuset and what the concurrency-id
 * allocators need from the scheduler about the mm.
 *
 * <ul>
 *   <li>{@link #cpuset}: the CPUs of the process's cpuset cgroup ({@code cpuset.cpus.effective});
 *       every thread's effective mask lies inside it ({@code kernel/cgroup/cpuset.c:
 *       cpuset_cpus_allowed()}).
 *   <li>{@link #users}: live threads, the v6.19 {@code mm->mm_cid.users} count of user threads
 *       (reference {@code kernel.md} §3.3); unlike {@code mm_users} it holds no other references.
 *   <li>{@link #cpusAllowed}: the union of the live threads' effective masks now.
 *   <li>{@link #cpusAllowedGrowOnly}: the union of every effective mask any thread ever had, the
 *       kernel's grow-only {@code mm_cpus_allowed} widened in {@code mm_set_cpus_allowed()}
 *       (reference {@code kernel.md} §2.6, §3.3, §8.6), whose weight is {@link #nrCpusAllowed}.
 * </ul>
 *
 * <p><b>Caveats:</b> not thread-safe; owned and changed only by one {@link FairScheduler}.
 */
public final class SchedProcess {
  private final int id;
  CpuMask cpuset;
  CpuMask cpusAllowedGrowOnly = CpuMask.empty();
  final TreeMap<Integer, SchedTask> liveThreads = new TreeMap<>();

  SchedProcess(int id, CpuMask cpuset) {
    this.id = id;
    this.cpuset = cpuset;
  }

  public int id() {
    return id;
  }

  /** The process's cpuset. */
  public CpuMask cpuset() {
    return cpuset;
  }

  /** Live threads ({@code mm_cid.users}). */
  public int users() {
    return liveThreads.size();
  }

  /** The live threads in id order. */
  public List<SchedTask> threads() {
    return new ArrayList<>(liveThreads.values());
  }

  /** Union of the live threads' effective masks. */
  public CpuMask cpusAllowed() {
    CpuMask union = CpuMask.empty();
    for (SchedTask t : liveThreads.values()) {
      union = union.or(t.cpusAllowed);
    }
    return union;
  }

  /** Union of every effective mask any thread of the process ever had ({@code mm_cpus_allowed}). */
  public CpuMask cpusAllowedGrowOnly() {
    return cpusAllowedGrowOnly;
  }

  /** Weight of {@link #cpusAllowedGrowOnly} (the mm's {@code nr_cpus_allowed}). */
  public int nrCpusAllowed() {
    return cpusAllowedGrowOnly.weight();
  }

  @Override
  public String toString() {
    return "process "
        + id
        + " (cpuset "
        + cpuset
        + ", users "
        + users()
        + ", mm_cpus_allowed "
        + cpusAllowedGrowOnly
        + ")";
  }
}
