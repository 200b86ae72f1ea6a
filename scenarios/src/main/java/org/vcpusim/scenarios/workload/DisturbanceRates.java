package org.vcpusim.scenarios.workload;

/**
 * Disturbances per thread per simulated second (scenario key {@code rates}); {@code sleepUs} is
 * the length of each injected sleep.
 */
public record DisturbanceRates(double sleeps, long sleepUs, double yields, double signals,
    double membarrierDrains, double affinityChanges, double gsClobbers) {
  /** Nothing injected. */
  public static final DisturbanceRates NONE = new DisturbanceRates(0, 100, 0, 0, 0, 0, 0);

  public DisturbanceRates {
    if (sleeps < 0 || yields < 0 || signals < 0 || membarrierDrains < 0 || affinityChanges < 0
        || gsClobbers < 0 || sleepUs < 0) {
      throw new IllegalArgumentException("negative rate");
    }
  }

  /** The rate of {@code kind}. */
  public double rate(DisturbanceKind kind) {
    return switch (kind) {
      case SLEEP -> sleeps;
      case YIELD -> yields;
      case SIGNAL -> signals;
      case DRAIN -> membarrierDrains;
      case AFFINITY -> affinityChanges;
      case GS_CLOBBER -> gsClobbers;
    };
  }
}
