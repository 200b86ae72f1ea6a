package org.vcpusim.scenarios.scenario;

/**
 * The outcome of a variant: whether any violation of a {@code fail_on} kind was found. A scenario
 * states the verdict it expects per variant ({@code expect}); the run meets its expectation when the
 * two agree.
 *
 * <p>The constant's {@link #spelling()} is its name in a scenario file and in every output.
 */
public enum Verdict implements Spelled {
  /** {@code pass}: No violation of a {@code fail_on} kind. */
  PASS("pass"),
  /** {@code fail}: At least one violation of a {@code fail_on} kind. */
  FAIL("fail");

  private final String spelling;

  Verdict(String spelling) {
    this.spelling = spelling;
  }

  @Override
  public String spelling() {
    return spelling;
  }
}
