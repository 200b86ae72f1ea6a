package org.vcpusim.scenarios.scenario;

/**
 * Disturbances injected into every thread of a workload ({@code rates:}), each a mean rate per
 * thread per simulated second (the runner draws Poisson arrivals from a named random stream). They
 * play the role of param_test's {@code -y}, {@code -k} and {@code -s} injections (kernel.md §4.1)
 * and of TCMalloc's drains (userspace.md §1.7).
 *
 * @param sleeps {@code nanosleep} calls of {@code sleepUs} each
 * @param sleepUs length of each sleep in microseconds, {@code 1..MAX_SLEEP_US}
 * @param yields {@code sched_yield} calls
 * @param signals signals sent to the thread (its handler runs user code)
 * @param membarrierDrains stop + fence ({@code MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ}) + drain of
 *     one id's per-id data
 * @param affinityChanges re-pins to a random CPU of the process's mask
 * @param gsClobbers a "library" writes GS ({@code ARCH_SET_GS}) and then uses its own {@code %gs:}
 *     data
 */
public record DisturbanceRates(
    double sleeps,
    long sleepUs,
    double yields,
    double signals,
    double membarrierDrains,
    double affinityChanges,
    double gsClobbers) {

  /** Highest rate: a million per second, one per simulated microsecond. */
  public static final double MAX_RATE = 1_000_000;
  /** param_test's {@code -s} injects 1 ms sleeps; the default is a tenth of that. */
  public static final long DEFAULT_SLEEP_US = 100;
  /** Longest sleep: one second. */
  public static final long MAX_SLEEP_US = 1_000_000;
  /** No disturbance at all. */
  public static final DisturbanceRates NONE =
      new DisturbanceRates(0, DEFAULT_SLEEP_US, 0, 0, 0, 0, 0);

  public DisturbanceRates {
    for (double r : new double[] {sleeps, yields, signals, membarrierDrains, affinityChanges,
        gsClobbers}) {
      if (!(r >= 0 && r <= MAX_RATE)) {
        throw new IllegalArgumentException("rate " + r + " outside [0, " + MAX_RATE + "]");
      }
    }
    if (sleepUs < 1 || sleepUs > MAX_SLEEP_US) {
      throw new IllegalArgumentException("sleep of " + sleepUs + " us");
    }
  }

  /** Whether any rate is above zero. */
  public boolean any() {
    return sleeps > 0
        || yields > 0
        || signals > 0
        || membarrierDrains > 0
        || affinityChanges > 0
        || gsClobbers > 0;
  }
}
