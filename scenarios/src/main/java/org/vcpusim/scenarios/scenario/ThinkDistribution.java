package org.vcpusim.scenarios.scenario;

/**
 * The distribution of the think time between two operations of a thread.
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum ThinkDistribution implements Spelled {
  /** {@code fixed}: Exactly the mean every time. */
  FIXED("fixed"),
  /** {@code exponential}: Exponential with the given mean (Poisson arrivals). */
  EXPONENTIAL("exponential"),
  /** {@code uniform}: Uniform on {@code [0, 2 * mean]}. */
  UNIFORM("uniform");

  private final String spelling;

  ThinkDistribution(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
