package org.vcpusim.scenarios.scenario;

import java.util.Objects;
import java.util.Optional;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * A group of identical processes (an entry of {@code processes:}): how many, how many threads
 * each, where their threads may run, the GS-mode arguments they use and the workload their threads
 * run.
 *
 * @param name unique among the groups, {@code [a-z0-9][a-z0-9._-]*}
 * @param count processes in the group, {@code 1..MAX_COUNT}
 * @param threads threads per process, {@code 1..MAX_THREADS}
 * @param affinity every thread's CPU list ({@code sched_setaffinity}); all CPUs by default
 * @param cpuset a process-wide restriction (a cgroup cpuset), intersected with {@code affinity};
 *     empty for none
 * @param pin how threads are placed on the CPUs of {@link #allowed()}
 * @param gsMode the {@code PT_SET_GS_MODE} arguments the {@code gs-mm_cid} variant uses
 * @param libcGsTunable whether libc may enable GS mode in this process
 * @param workload the name of the {@link WorkloadSpec} every thread runs
 */
public record ProcessGroupSpec(
    String name,
    int count,
    int threads,
    CpuMask affinity,
    Optional<CpuMask> cpuset,
    Pin pin,
    GsModeSpec gsMode,
    LibcGsTunable libcGsTunable,
    String workload) {

  /** Most processes in a group: enough for one process per CPU of the largest machine. */
  public static final int MAX_COUNT = MachineSpec.MAX_CPUS;
  /**
   * Most threads per process: param_test's 6 × nproc (kernel.md §4.1) on 64 CPUs is 384; 1024
   * leaves room for heavier overcommit.
   */
  public static final int MAX_THREADS = 1_024;

  public ProcessGroupSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(affinity, "affinity");
    Objects.requireNonNull(cpuset, "cpuset");
    Objects.requireNonNull(pin, "pin");
    Objects.requireNonNull(gsMode, "gsMode");
    Objects.requireNonNull(libcGsTunable, "libcGsTunable");
    Objects.requireNonNull(workload, "workload");
    if (count < 1 || threads < 1) {
      throw new IllegalArgumentException(count + " processes of " + threads + " threads");
    }
  }

  /** The CPUs a thread of this group may run on: {@code affinity ∩ cpuset}, never empty. */
  public CpuMask allowed() {
    return cpuset.map(affinity::and).orElse(affinity);
  }

  /** Threads of the whole group: {@code count × threads}. */
  public int totalThreads() {
    return count * threads;
  }
}
