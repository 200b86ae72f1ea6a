package org.vcpusim.kernel.sched;

import org.vcpusim.core.time.Ticks;

/**
 * The fair scheduler's tunables, in picoseconds of simulated time, with the kernel's defaults.
 *
 * <p>Sources, all CFS as of Linux 5.x–6.5 ({@code kernel/sched/fair.c} before the EEVDF switch of
 * v6.6):
 *
 * <ul>
 *   <li>{@code hz}: {@code CONFIG_HZ}, default 250 ({@code kernel/Kconfig.hz}), so the scheduler
 *       tick ({@code scheduler_tick()}) comes every 4 ms.
 *   <li>{@code latencyPs}: {@code sysctl_sched_latency}, 6 ms × (1 + ilog2(min(ncpus, 8)))
 *       ({@code get_update_sysctl_factor()} with {@code SCHED_TUNABLESCALING_LOG}, applied by
 *       {@code update_sysctl()}): the period in which every runnable task should run once.
 *   <li>{@code minGranularityPs}: {@code sysctl_sched_min_granularity}, 0.75 ms × the same
 *       factor: the shortest slice, and the run time before the tick may preempt for fairness
 *       ({@code check_preempt_tick()}); {@code sched_nr_latency} = latency / min granularity = 8.
 *   <li>{@code wakeupGranularityPs}: {@code sysctl_sched_wakeup_granularity}, 1 ms × the same
 *       factor: how far a woken task's vruntime must be behind the current one's to preempt it
 *       ({@code wakeup_preempt_entity()}).
 *   <li>{@code balanceIntervalPs}: the periodic load-balance interval. The kernel keeps one per
 *       scheduling domain, starting at {@code sd->min_interval} = the domain's CPU count in
 *       milliseconds ({@code kernel/sched/topology.c: sd_init()}), converted to jiffies and
 *       clamped to at least one ({@code fair.c: get_sd_balance_interval()}); the model balances
 *       all CPUs as one domain, so the default is max(one tick, ncpus ms). The kernel stretches a
 *       busy CPU's interval by {@code busy_factor} (16); the model does not.
 *   <li>{@code contextSwitchCycles}: what one context switch costs in core cycles. The scheduler
 *       only counts switches; the machine fills this from the CPU profile and charges it.
 * </ul>
 */
public record SchedParams(
    int hz,
    long latencyPs,
    long minGranularityPs,
    long wakeupGranularityPs,
    long balanceIntervalPs,
    long contextSwitchCycles) {

  /** {@code CONFIG_HZ} default. */
  public static final int DEFAULT_HZ = 250;
  /** {@code normalized_sysctl_sched_latency}: 6 ms. */
  public static final long NORMALIZED_LATENCY_PS = 6 * Ticks.PER_MILLISECOND;
  /** {@code normalized_sysctl_sched_min_granularity}: 0.75 ms. */
  public static final long NORMALIZED_MIN_GRANULARITY_PS = 750 * Ticks.PER_MICROSECOND;
  /** {@code normalized_sysctl_sched_wakeup_granularity}: 1 ms. */
  public static final long NORMALIZED_WAKEUP_GRANULARITY_PS = 1 * Ticks.PER_MILLISECOND;

  public SchedParams {
    if (hz <= 0) {
      throw new IllegalArgumentException("hz must be positive: " + hz);
    }
    if (minGranularityPs <= 0 || latencyPs < minGranularityPs) {
      throw new IllegalArgumentException(
          "need 0 < min granularity <= latency, got "
              + minGranularityPs
              + " ps and "
              + latencyPs
              + " ps");
    }
    if (wakeupGranularityPs < 0) {
      throw new IllegalArgumentException("negative wakeup granularity: " + wakeupGranularityPs);
    }
    if (balanceIntervalPs <= 0) {
      throw new IllegalArgumentException("balance interval must be positive: " + balanceIntervalPs);
    }
    if (contextSwitchCycles < 0) {
      throw new IllegalArgumentException("negative context-switch cost: " + contextSwitchCycles);
    }
  }

  /**
   * The kernel's defaults for a machine of {@code nrCpus} CPUs, with the context-switch cost the
   * machine takes from its CPU profile.
   */
  public static SchedParams linuxDefaults(int nrCpus, long contextSwitchCycles) {
    int factor = tunableScalingFactor(nrCpus);
    long tick = Ticks.PER_SECOND / DEFAULT_HZ;
    return new SchedParams(
        DEFAULT_HZ,
        factor * NORMALIZED_LATENCY_PS,
        factor * NORMALIZED_MIN_GRANULARITY_PS,
        factor * NORMALIZED_WAKEUP_GRANULARITY_PS,
        Math.max(tick, nrCpus * Ticks.PER_MILLISECOND),
        contextSwitchCycles);
  }

  /** {@code get_update_sysctl_factor()} for {@code SCHED_TUNABLESCALING_LOG}. */
  public static int tunableScalingFactor(int nrCpus) {
    if (nrCpus < 1) {
      throw new IllegalArgumentException("CPU count must be positive: " + nrCpus);
    }
    int cpus = Math.min(nrCpus, 8);
    return 1 + (31 - Integer.numberOfLeadingZeros(cpus));
  }

  /** The scheduler tick period, {@code TICK_NSEC} in picoseconds (truncated). */
  public long tickPeriodPs() {
    return Ticks.PER_SECOND / hz;
  }

  /** {@code sched_nr_latency}: how many tasks fit in one latency period at minimum slices. */
  public int nrLatency() {
    return (int) ((latencyPs + minGranularityPs - 1) / minGranularityPs);
  }

  /** These parameters with another tick rate. */
  public SchedParams withHz(int newHz) {
    return new SchedParams(
        newHz,
        latencyPs,
        minGranularityPs,
        wakeupGranularityPs,
        balanceIntervalPs,
        contextSwitchCycles);
  }

  /** These parameters with another balance interval. */
  public SchedParams withBalanceIntervalPs(long interval) {
    return new SchedParams(
        hz, latencyPs, minGranularityPs, wakeupGranularityPs, interval, contextSwitchCycles);
  }
}
