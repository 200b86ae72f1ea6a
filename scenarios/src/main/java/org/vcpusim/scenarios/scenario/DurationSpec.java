package org.vcpusim.scenarios.scenario;

import java.util.Objects;
import org.vcpusim.core.time.Ticks;

/**
 * How long each variant runs ({@code duration:}): either simulated time or a number of operations
 * per thread, never both.
 *
 * @param unit what {@code amount} counts
 * @param amount milliseconds of simulated time, {@code 1..MAX_SIMULATED_MS}, or operations per
 *     thread, {@code 1..MAX_OPS}
 */
public record DurationSpec(Unit unit, long amount) {
  /** Longest simulated time: ten minutes, far beyond what a few MIPS can simulate in a session. */
  public static final long MAX_SIMULATED_MS = 600_000;
  /** Most operations per thread: a billion. */
  public static final long MAX_OPS = 1_000_000_000L;

  /** The two ways to bound a run. */
  public enum Unit implements Spelled {
    /** {@code simulated_ms}: stop at this simulated time. */
    SIMULATED_MS("simulated_ms"),
    /** {@code ops}: stop when every thread has done this many operations. */
    OPS("ops");

    private final String spelling;

    Unit(String spelling) {
      this.spelling = spelling;
    }

    @Override
    public String spelling() {
      return spelling;
    }
  }

  public DurationSpec {
    Objects.requireNonNull(unit, "unit");
    long max = unit == Unit.OPS ? MAX_OPS : MAX_SIMULATED_MS;
    if (amount < 1 || amount > max) {
      throw new IllegalArgumentException(unit.spelling() + " " + amount + " outside [1, " + max
          + "]");
    }
  }

  /** {@code amount} ms of simulated time. */
  public static DurationSpec simulatedMs(long amount) {
    return new DurationSpec(Unit.SIMULATED_MS, amount);
  }

  /** {@code amount} operations per thread. */
  public static DurationSpec ops(long amount) {
    return new DurationSpec(Unit.OPS, amount);
  }

  /** Whether the run is bounded by operations per thread. */
  public boolean byOps() {
    return unit == Unit.OPS;
  }

  /**
   * The simulated time bound in picoseconds.
   *
   * @throws IllegalStateException when the run is bounded by operations
   */
  public long simulatedPs() {
    if (byOps()) {
      throw new IllegalStateException("duration is " + amount + " ops, not a time");
    }
    return amount * Ticks.PER_MILLISECOND;
  }
}
