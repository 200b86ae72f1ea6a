package org.vcpusim.kernel.topology;

import java.util.Arrays;
import java.util.Locale;

/**
 * The CPUs of a simulated machine and how they nest: sockets (physical packages) of cores of SMT
 * threads, with NUMA nodes that split a socket's cores evenly. Immutable.
 *
 * <p>The queries mirror the kernel's topology accessors ({@code include/linux/topology.h},
 * {@code arch/x86/include/asm/topology.h}, filled by {@code arch/x86/kernel/smpboot.c:
 * set_cpu_sibling_map()}): {@link #socketOf} is {@code topology_physical_package_id()},
 * {@link #smtSiblings} is {@code topology_sibling_cpumask()} (the CPU itself included),
 * {@link #socketCpus} is {@code topology_core_cpumask()}, {@link #nodeOf} is {@code cpu_to_node()},
 * {@link #nodeCpus} is {@code cpumask_of_node()} and {@link #llcCpus} is
 * {@code cpu_llc_shared_mask()}, the span of the scheduler's {@code sd_llc} domain that
 * {@code kernel/sched/fair.c: select_idle_sibling()} searches. The model places the last-level
 * cache per NUMA node within a socket (one node per socket is the common server layout; several
 * nodes per socket model sub-NUMA clustering, which splits the LLC with the node).
 *
 * <p>CPU numbering follows one of the two orders firmware tables produce ({@link Numbering}).
 */
public final class CpuTopology {
  /** How logical CPU numbers are assigned to (socket, core, thread). */
  public enum Numbering {
    /**
     * Siblings adjacent: {@code cpu = core * threadsPerCore + thread}, cores numbered socket by
     * socket (CPUs 0 and 1 share a core).
     */
    CORE_MAJOR,
    /**
     * First threads of every core first, then the second threads: {@code cpu = thread *
     * totalCores + core} (CPUs 0 and {@code totalCores} share a core), the order many x86 servers
     * enumerate in.
     */
    THREAD_MAJOR
  }

  private final int sockets;
  private final int coresPerSocket;
  private final int threadsPerCore;
  private final int nodesPerSocket;
  private final Numbering numbering;
  private final int[] socketOf;
  private final int[] coreOf;
  private final int[] threadOf;
  private final int[] nodeOf;
  private final CpuMask[] siblingsOfCore;
  private final CpuMask[] cpusOfSocket;
  private final CpuMask[] cpusOfNode;
  private final CpuMask all;

  private CpuTopology(
      int sockets, int coresPerSocket, int threadsPerCore, int nodesPerSocket, Numbering numbering) {
    this.sockets = sockets;
    this.coresPerSocket = coresPerSocket;
    this.threadsPerCore = threadsPerCore;
    this.nodesPerSocket = nodesPerSocket;
    this.numbering = numbering;
    int totalCores = sockets * coresPerSocket;
    int n = totalCores * threadsPerCore;
    socketOf = new int[n];
    coreOf = new int[n];
    threadOf = new int[n];
    nodeOf = new int[n];
    int coresPerNode = coresPerSocket / nodesPerSocket;
    CpuMask[] siblings = new CpuMask[totalCores];
    CpuMask[] bySocket = new CpuMask[sockets];
    CpuMask[] byNode = new CpuMask[sockets * nodesPerSocket];
    Arrays.fill(siblings, CpuMask.empty());
    Arrays.fill(bySocket, CpuMask.empty());
    Arrays.fill(byNode, CpuMask.empty());
    for (int core = 0; core < totalCores; core++) {
      for (int thread = 0; thread < threadsPerCore; thread++) {
        int cpu =
            numbering == Numbering.CORE_MAJOR
                ? core * threadsPerCore + thread
                : thread * totalCores + core;
        int socket = core / coresPerSocket;
        int node = socket * nodesPerSocket + (core % coresPerSocket) / coresPerNode;
        socketOf[cpu] = socket;
        coreOf[cpu] = core;
        threadOf[cpu] = thread;
        nodeOf[cpu] = node;
        siblings[core] = siblings[core].with(cpu);
        bySocket[socket] = bySocket[socket].with(cpu);
        byNode[node] = byNode[node].with(cpu);
      }
    }
    this.siblingsOfCore = siblings;
    this.cpusOfSocket = bySocket;
    this.cpusOfNode = byNode;
    this.all = CpuMask.first(n);
  }

  /**
   * A machine of {@code sockets} identical packages of {@code coresPerSocket} cores with {@code
   * threadsPerCore} SMT threads each, {@code nodesPerSocket} NUMA nodes per socket.
   *
   * @throws IllegalArgumentException when a count is not positive, the cores of a socket do not
   *     split evenly into its nodes, or the machine has more than {@link CpuMask#MAX_CPUS} CPUs
   */
  public static CpuTopology of(
      int sockets, int coresPerSocket, int threadsPerCore, int nodesPerSocket, Numbering numbering) {
    if (sockets < 1 || coresPerSocket < 1 || threadsPerCore < 1 || nodesPerSocket < 1) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "topology counts must be positive: %d sockets, %d cores/socket, %d threads/core,"
                  + " %d nodes/socket",
              sockets,
              coresPerSocket,
              threadsPerCore,
              nodesPerSocket));
    }
    if (coresPerSocket % nodesPerSocket != 0) {
      throw new IllegalArgumentException(
          coresPerSocket + " cores per socket do not split into " + nodesPerSocket + " nodes");
    }
    long n = (long) sockets * coresPerSocket * threadsPerCore;
    if (n > CpuMask.MAX_CPUS) {
      throw new IllegalArgumentException(n + " CPUs exceed the limit of " + CpuMask.MAX_CPUS);
    }
    return new CpuTopology(sockets, coresPerSocket, threadsPerCore, nodesPerSocket, numbering);
  }

  /** One NUMA node per socket, siblings adjacent. */
  public static CpuTopology of(int sockets, int coresPerSocket, int threadsPerCore) {
    return of(sockets, coresPerSocket, threadsPerCore, 1, Numbering.CORE_MAJOR);
  }

  /** {@code cpus} single-threaded cores in one socket and one node. */
  public static CpuTopology flat(int cpus) {
    return of(1, cpus, 1, 1, Numbering.CORE_MAJOR);
  }

  /** Number of CPUs ({@code nr_cpu_ids}); CPUs are numbered {@code 0..nrCpus()-1}. */
  public int nrCpus() {
    return socketOf.length;
  }

  public int nrSockets() {
    return sockets;
  }

  /** Total number of cores over all sockets. */
  public int nrCores() {
    return sockets * coresPerSocket;
  }

  public int coresPerSocket() {
    return coresPerSocket;
  }

  public int threadsPerCore() {
    return threadsPerCore;
  }

  public int nrNodes() {
    return sockets * nodesPerSocket;
  }

  public Numbering numbering() {
    return numbering;
  }

  /** Whether cores have more than one hardware thread ({@code sched_smt_present}). */
  public boolean hasSmt() {
    return threadsPerCore > 1;
  }

  /** All CPUs ({@code cpu_possible_mask}; every CPU of the model is online and active). */
  public CpuMask all() {
    return all;
  }

  /** Whether {@code cpu} names a CPU of this machine. */
  public boolean isValid(int cpu) {
    return cpu >= 0 && cpu < socketOf.length;
  }

  /** The physical package of {@code cpu}. */
  public int socketOf(int cpu) {
    return socketOf[check(cpu)];
  }

  /** The core of {@code cpu}, numbered machine-wide {@code 0..nrCores()-1}. */
  public int coreOf(int cpu) {
    return coreOf[check(cpu)];
  }

  /** Which hardware thread of its core {@code cpu} is, {@code 0..threadsPerCore()-1}. */
  public int threadOf(int cpu) {
    return threadOf[check(cpu)];
  }

  /** The NUMA node of {@code cpu}. */
  public int nodeOf(int cpu) {
    return nodeOf[check(cpu)];
  }

  /** The CPUs sharing {@code cpu}'s core, {@code cpu} included. */
  public CpuMask smtSiblings(int cpu) {
    return siblingsOfCore[coreOf[check(cpu)]];
  }

  /** The CPUs of package {@code socket}. */
  public CpuMask socketCpus(int socket) {
    if (socket < 0 || socket >= sockets) {
      throw new IllegalArgumentException("socket " + socket + " outside [0, " + sockets + ")");
    }
    return cpusOfSocket[socket];
  }

  /** The CPUs of NUMA node {@code node}. */
  public CpuMask nodeCpus(int node) {
    if (node < 0 || node >= cpusOfNode.length) {
      throw new IllegalArgumentException("node " + node + " outside [0, " + cpusOfNode.length + ")");
    }
    return cpusOfNode[node];
  }

  /** The CPUs sharing {@code cpu}'s last-level cache, {@code cpu} included. */
  public CpuMask llcCpus(int cpu) {
    return cpusOfNode[nodeOf[check(cpu)]];
  }

  /** Whether two CPUs share the last-level cache ({@code cpus_share_cache()}). */
  public boolean sharesCache(int a, int b) {
    return nodeOf[check(a)] == nodeOf[check(b)];
  }

  private int check(int cpu) {
    if (cpu < 0 || cpu >= socketOf.length) {
      throw new IllegalArgumentException("CPU " + cpu + " outside [0, " + socketOf.length + ")");
    }
    return cpu;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%d socket(s) x %d core(s) x %d thread(s), %d node(s), %s numbering (%d CPUs)",
        sockets,
        coresPerSocket,
        threadsPerCore,
        nrNodes(),
        numbering.name().toLowerCase(Locale.ROOT),
        nrCpus());
  }
}
