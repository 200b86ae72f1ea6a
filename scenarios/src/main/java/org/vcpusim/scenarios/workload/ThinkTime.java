package org.vcpusim.scenarios.workload;

/**
 * Time a thread spends between ops: {@code distribution} of mean {@code meanNs}. Spent spinning
 * below {@link WorkloadImage#SLEEP_THRESHOLD_NS}, in {@code nanosleep} above it.
 */
public record ThinkTime(Distribution distribution, long meanNs) {
  /** The shape of think times. */
  public enum Distribution {
    FIXED,
    EXPONENTIAL,
    UNIFORM
  }

  /** No thinking. */
  public static final ThinkTime NONE = new ThinkTime(Distribution.FIXED, 0);

  public ThinkTime {
    if (meanNs < 0) {
      throw new IllegalArgumentException("negative think time");
    }
  }
}
