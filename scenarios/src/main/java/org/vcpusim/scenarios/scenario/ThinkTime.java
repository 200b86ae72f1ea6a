package org.vcpusim.scenarios.scenario;

import java.util.Objects;

/**
 * The time a thread waits between two operations ({@code think:}).
 *
 * @param distribution how the waits are drawn
 * @param meanNs the mean wait in nanoseconds, {@code 0..MAX_MEAN_NS}; 0 means back-to-back ops
 */
public record ThinkTime(ThinkDistribution distribution, long meanNs) {
  /** Longest mean: one second, longer than any bundled run. */
  public static final long MAX_MEAN_NS = 1_000_000_000L;
  /** No think time. */
  public static final ThinkTime NONE = new ThinkTime(ThinkDistribution.FIXED, 0);

  public ThinkTime {
    Objects.requireNonNull(distribution, "distribution");
    if (meanNs < 0 || meanNs > MAX_MEAN_NS) {
      throw new IllegalArgumentException("think mean " + meanNs + " ns");
    }
  }
}
