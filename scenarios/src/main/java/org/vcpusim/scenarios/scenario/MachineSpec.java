package org.vcpusim.scenarios.scenario;

import java.util.Objects;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * The simulated computer of a scenario (its {@code machine:} section): the CPU topology, the cost
 * profile and how CPUs are interleaved in time.
 *
 * <p>{@code machine: {cpus: N}} is the flat topology (one socket of N single-threaded cores, one
 * NUMA node); the explicit form gives {@code sockets}, {@code cores_per_socket}, {@code
 * threads_per_core} and {@code numa_nodes}, CPUs numbered core-major as {@link CpuTopology#of}
 * does.
 *
 * @param sockets physical packages, {@code 1..}{@link #MAX_SOCKETS}
 * @param coresPerSocket cores in each package
 * @param threadsPerCore SMT threads per core, {@code 1..}{@link #MAX_THREADS_PER_CORE}
 * @param numaNodes NUMA nodes of the whole machine, a multiple of {@code sockets} whose per-socket
 *     share divides {@code coresPerSocket}
 * @param profile the CPU cost profile ({@code org.vcpusim.cpu.profile.CpuProfiles.load(profile)})
 * @param timeMode exact or quantum interleaving of CPUs
 * @param quantumNs the run-ahead quantum in nanoseconds with {@link TimeMode#QUANTUM}; 0 with
 *     {@link TimeMode#EXACT}
 */
public record MachineSpec(
    int sockets,
    int coresPerSocket,
    int threadsPerCore,
    int numaNodes,
    String profile,
    TimeMode timeMode,
    long quantumNs) {

  /**
   * Most CPUs a scenario machine may have: four times the largest common server socket count of
   * 64, which keeps per-id arrays and the footprint charts readable, and far below {@link
   * CpuMask#MAX_CPUS}.
   */
  public static final int MAX_CPUS = 256;
  /** Most sockets: eight-socket servers are the largest commonly built. */
  public static final int MAX_SOCKETS = 8;
  /** Most SMT threads per core: x86-64 parts have 1 or 2; 8 covers POWER-style SMT8. */
  public static final int MAX_THREADS_PER_CORE = 8;
  /** The bundled profile a file gets without {@code profile:}. */
  public static final String DEFAULT_PROFILE = "zen5";
  /**
   * Default quantum with {@link TimeMode#QUANTUM}: 1 µs, {@code MachineConfig.DEFAULT_QUANTUM_PS}.
   */
  public static final long DEFAULT_QUANTUM_NS = 1_000;
  /** Longest quantum: 1 ms, one scheduler tick at HZ=1000; longer would reorder ticks and CPUs. */
  public static final long MAX_QUANTUM_NS = 1_000_000;

  public MachineSpec {
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(timeMode, "timeMode");
    long n = (long) sockets * coresPerSocket * threadsPerCore;
    if (sockets < 1 || coresPerSocket < 1 || threadsPerCore < 1 || numaNodes < 1 || n > MAX_CPUS) {
      throw new IllegalArgumentException("bad machine shape " + sockets + "x" + coresPerSocket
          + "x" + threadsPerCore + ", " + numaNodes + " nodes");
    }
    if (numaNodes % sockets != 0 || coresPerSocket % (numaNodes / sockets) != 0) {
      throw new IllegalArgumentException(
          numaNodes + " NUMA nodes do not split " + sockets + " sockets of " + coresPerSocket
              + " cores");
    }
    if ((timeMode == TimeMode.EXACT) != (quantumNs == 0)) {
      throw new IllegalArgumentException("quantumNs " + quantumNs + " with time mode " + timeMode);
    }
  }

  /** One socket of {@code cpus} single-threaded cores, one node, zen5, exact time. */
  public static MachineSpec flat(int cpus) {
    return new MachineSpec(1, cpus, 1, 1, DEFAULT_PROFILE, TimeMode.EXACT, 0);
  }

  /** The number of CPUs: sockets × cores per socket × threads per core. */
  public int cpus() {
    return sockets * coresPerSocket * threadsPerCore;
  }

  /** CPUs {@code 0..cpus()-1}. */
  public CpuMask allCpus() {
    return CpuMask.first(cpus());
  }

  /** The topology to build the machine with. */
  public CpuTopology topology() {
    return CpuTopology.of(
        sockets,
        coresPerSocket,
        threadsPerCore,
        numaNodes / sockets,
        CpuTopology.Numbering.CORE_MAJOR);
  }
}
