package org.vcpusim.kernel.machine;

import java.util.Objects;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.kernel.check.CheckConfig;
import org.vcpusim.kernel.check.CheckKind;
import org.vcpusim.kernel.cid.CpuNumberCidAllocator;
import org.vcpusim.kernel.cid.MmCidAllocator;
import org.vcpusim.kernel.gsmode.GsModeConfig;
import org.vcpusim.kernel.rseq.RseqConfig;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * Everything a {@link Machine} is built from; immutable. Use {@link #builder}.
 *
 * @param topology the CPUs and how they nest
 * @param profile the cost profile: frequency, cache geometry, instruction and kernel costs
 * @param seed the run seed every random stream of the run derives from
 * @param sched scheduler tunables (default: {@link SchedParams#linuxDefaults} for the CPU count,
 *     with the profile's context-switch cost)
 * @param timeMode exact (default) or quantum stepping
 * @param quantumPs how far a CPU runs ahead in {@link TimeMode#QUANTUM} mode, in picoseconds
 * @param cidAllocator builds the concurrency-id policy (default: the CPU number)
 * @param rseq the rseq subsystem's parameters (default: {@link #defaultRseq}: the legacy id policy
 *     of kernels through 6.18, 6.3's feature size, no debug checks)
 * @param gsMode the GS mode's parameters (default: {@link GsModeConfig#defaults}: {@code
 *     ARCH_SET_GS} refused with EBUSY while the mode is on, mmap_min_addr 65536 checked, the access
 *     checker on)
 * @param checks which ABI checkers run (default: {@link CheckConfig#defaults()}, all of them)
 */
public record MachineConfig(
    CpuTopology topology,
    CpuProfile profile,
    long seed,
    SchedParams sched,
    TimeMode timeMode,
    long quantumPs,
    MmCidAllocator.Factory cidAllocator,
    RseqConfig rseq,
    GsModeConfig gsMode,
    CheckConfig checks) {

  /** Default quantum: 1 µs, a few thousand instructions, far below a scheduler tick. */
  public static final long DEFAULT_QUANTUM_PS = Ticks.PER_MICROSECOND;

  public MachineConfig {
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(sched, "sched");
    Objects.requireNonNull(timeMode, "timeMode");
    Objects.requireNonNull(cidAllocator, "cidAllocator");
    Objects.requireNonNull(rseq, "rseq");
    Objects.requireNonNull(gsMode, "gsMode");
    Objects.requireNonNull(checks, "checks");
    if (quantumPs <= 0) {
      throw new IllegalArgumentException("quantum must be positive: " + quantumPs);
    }
  }

  /**
   * The rseq parameters of a kernel through 6.18 under {@code policy}: both the id write and the
   * critical-section check cost the profile's {@code kernel.rseqIdFieldWrite}, the one figure the
   * profile has for a user-access pass over the rseq area (the check reads {@code rseq_cs}, the
   * 32-byte descriptor and the signature word in one such pass).
   */
  public static RseqConfig defaultRseq(CpuProfile profile, RseqIdUpdatePolicy policy) {
    long cost = profile.kernel().rseqIdFieldWrite();
    return RseqConfig.of(policy, cost, cost);
  }

  /** A builder for {@code topology} and {@code profile} with every other field defaulted. */
  public static Builder builder(CpuTopology topology, CpuProfile profile) {
    return new Builder(topology, profile);
  }

  /** Builds a {@link MachineConfig}. */
  public static final class Builder {
    private final CpuTopology topology;
    private final CpuProfile profile;
    private long seed = 1;
    private SchedParams sched;
    private TimeMode timeMode = TimeMode.EXACT;
    private long quantumPs = DEFAULT_QUANTUM_PS;
    private MmCidAllocator.Factory cidAllocator = CpuNumberCidAllocator.factory();
    private RseqConfig rseq;
    private GsModeConfig gsMode = GsModeConfig.defaults();
    private CheckConfig checks = CheckConfig.defaults();

    private Builder(CpuTopology topology, CpuProfile profile) {
      this.topology = Objects.requireNonNull(topology);
      this.profile = Objects.requireNonNull(profile);
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder sched(SchedParams params) {
      sched = params;
      return this;
    }

    public Builder exact() {
      timeMode = TimeMode.EXACT;
      return this;
    }

    /** Quantum mode with a quantum of {@code ps} picoseconds. */
    public Builder quantum(long ps) {
      timeMode = TimeMode.QUANTUM;
      quantumPs = ps;
      return this;
    }

    public Builder cidAllocator(MmCidAllocator.Factory factory) {
      cidAllocator = factory;
      return this;
    }

    public Builder rseq(RseqConfig config) {
      rseq = config;
      return this;
    }

    /** {@link #defaultRseq} with {@code policy}. */
    public Builder rseqPolicy(RseqIdUpdatePolicy policy) {
      rseq = defaultRseq(profile, policy);
      return this;
    }

    public Builder gsMode(GsModeConfig config) {
      gsMode = config;
      return this;
    }

    /** Which ABI checkers run. */
    public Builder checks(CheckConfig config) {
      checks = Objects.requireNonNull(config);
      return this;
    }

    /** Turns the checker of {@code kind} off. */
    public Builder withoutCheck(CheckKind kind) {
      checks = checks.without(kind);
      return this;
    }

    /** The quiet period of the {@code cid_compact} checker ({@link CheckConfig#quietPeriodPs}). */
    public Builder checkQuietPeriod(long ps) {
      checks = checks.withQuietPeriodPs(ps);
      return this;
    }

    public MachineConfig build() {
      SchedParams s =
          sched != null
              ? sched
              : SchedParams.linuxDefaults(topology.nrCpus(), profile.kernel().contextSwitch());
      RseqConfig r = rseq != null ? rseq : defaultRseq(profile, RseqIdUpdatePolicy.LEGACY);
      return new MachineConfig(topology, profile, seed, s, timeMode, quantumPs, cidAllocator, r,
          gsMode,
          checks);
    }
  }
}
