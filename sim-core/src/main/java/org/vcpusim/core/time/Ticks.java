package org.vcpusim.core.time;

import java.math.BigInteger;

/**
 * Simulated time: a tick is one picosecond, held in a {@code long} (so a run can last about
 * 106 days of simulated time). This class holds every conversion between ticks, wall-clock units
 * and clock cycles, so that rounding is decided in one place.
 *
 * <p>The picosecond tick is gem5's ("Global frequency set at 1000000000000 ticks per second",
 * reference/anchors.md section 1.1): it represents every integer MHz clock period with at most
 * 0.5 ps error per cycle, and the conversions below avoid even that error by converting whole
 * cycle counts with exact integer arithmetic rather than multiplying a rounded period.
 *
 * <p>Rounding rules:
 *
 * <ul>
 *   <li>wall-clock units to ticks ({@link #fromNanos}, {@link #fromMicros}, {@link #fromMillis},
 *       {@link #fromSeconds}) are exact; a result that does not fit in a {@code long} throws
 *       {@link ArithmeticException};
 *   <li>cycles to ticks ({@link #fromCycles}) rounds <em>up</em>: the result is the first tick at
 *       or after the exact instant {@code cycles / hz} seconds, so an operation of {@code n}
 *       cycles never completes early;
 *   <li>ticks to cycles ({@link #toCycles}) and ticks to nanoseconds ({@link #toNanos}) round
 *       <em>down</em>: they count the cycles (nanoseconds) completed by that tick.
 * </ul>
 *
 * Consequently {@code toCycles(fromCycles(c, hz), hz) == c} for every {@code c >= 0} and every
 * {@code hz <= }{@link #PER_SECOND} (a cycle lasts at least one tick). Negative ticks, cycles and
 * frequencies are rejected: ticks here are instants since the start of a run or durations.
 */
public final class Ticks {

  /** Ticks in one picosecond. */
  public static final long PER_PICOSECOND = 1L;
  /** Ticks in one nanosecond. */
  public static final long PER_NANOSECOND = 1_000L;
  /** Ticks in one microsecond. */
  public static final long PER_MICROSECOND = 1_000_000L;
  /** Ticks in one millisecond. */
  public static final long PER_MILLISECOND = 1_000_000_000L;
  /** Ticks in one second: the tick frequency in Hz. */
  public static final long PER_SECOND = 1_000_000_000_000L;

  private static final long HZ_PER_MHZ = 1_000_000L;

  private Ticks() {}

  /** Exact: {@code nanos * 1000}. */
  public static long fromNanos(long nanos) {
    return Math.multiplyExact(requireNonNegative(nanos, "nanos"), PER_NANOSECOND);
  }

  /** Exact: {@code micros * 10^6}. */
  public static long fromMicros(long micros) {
    return Math.multiplyExact(requireNonNegative(micros, "micros"), PER_MICROSECOND);
  }

  /** Exact: {@code millis * 10^9}. */
  public static long fromMillis(long millis) {
    return Math.multiplyExact(requireNonNegative(millis, "millis"), PER_MILLISECOND);
  }

  /** Exact: {@code seconds * 10^12}; at most 9,223,372 seconds fit. */
  public static long fromSeconds(long seconds) {
    return Math.multiplyExact(requireNonNegative(seconds, "seconds"), PER_SECOND);
  }

  /** Whole nanoseconds completed by {@code ticks} (rounds down). */
  public static long toNanos(long ticks) {
    return requireNonNegative(ticks, "ticks") / PER_NANOSECOND;
  }

  /**
   * Nanoseconds as the double nearest to {@code ticks / 1000}, for reports; not for arithmetic
   * that feeds back into the simulation.
   */
  public static double toNanosAsDouble(long ticks) {
    return requireNonNegative(ticks, "ticks") / (double) PER_NANOSECOND;
  }

  /** Seconds as the double nearest to {@code ticks / 10^12}, for reports. */
  public static double toSecondsAsDouble(long ticks) {
    return requireNonNegative(ticks, "ticks") / (double) PER_SECOND;
  }

  /**
   * Duration of {@code cycles} cycles of a clock running at {@code hz}, in ticks, rounded up:
   * {@code ceil(cycles * 10^12 / hz)}, computed exactly.
   *
   * @throws ArithmeticException if the result does not fit in a {@code long}
   */
  public static long fromCycles(long cycles, long hz) {
    requireNonNegative(cycles, "cycles");
    requirePositive(hz, "hz");
    long gcd = gcd(PER_SECOND, hz);
    return mulDivCeil(cycles, PER_SECOND / gcd, hz / gcd);
  }

  /**
   * Cycles of a clock running at {@code hz} completed within {@code ticks}, rounded down:
   * {@code floor(ticks * hz / 10^12)}, computed exactly.
   *
   * @throws ArithmeticException if the result does not fit in a {@code long}
   */
  public static long toCycles(long ticks, long hz) {
    requireNonNegative(ticks, "ticks");
    requirePositive(hz, "hz");
    long gcd = gcd(PER_SECOND, hz);
    return mulDivFloor(ticks, hz / gcd, PER_SECOND / gcd);
  }

  /** {@link #fromCycles(long, long)} for a clock given in MHz. */
  public static long fromCyclesAtMhz(long cycles, long mhz) {
    return fromCycles(cycles, Math.multiplyExact(requirePositive(mhz, "mhz"), HZ_PER_MHZ));
  }

  /** {@link #toCycles(long, long)} for a clock given in MHz. */
  public static long toCyclesAtMhz(long ticks, long mhz) {
    return toCycles(ticks, Math.multiplyExact(requirePositive(mhz, "mhz"), HZ_PER_MHZ));
  }

  /** {@code floor(a * b / c)} for {@code a, b >= 0, c > 0}, exact (128-bit intermediate). */
  private static long mulDivFloor(long a, long b, long c) {
    long whole = Math.multiplyExact(a / c, b);
    long remainder = a % c;
    long high = Math.multiplyHigh(remainder, b);
    long low = remainder * b;
    long fraction;
    if (high == 0 && low >= 0) {
      fraction = low / c;
    } else {
      fraction = BigInteger.valueOf(remainder).multiply(BigInteger.valueOf(b))
          .divide(BigInteger.valueOf(c)).longValueExact();
    }
    return Math.addExact(whole, fraction);
  }

  /** {@code ceil(a * b / c)} for {@code a, b >= 0, c > 0}, exact (128-bit intermediate). */
  private static long mulDivCeil(long a, long b, long c) {
    long whole = Math.multiplyExact(a / c, b);
    long remainder = a % c;
    long high = Math.multiplyHigh(remainder, b);
    long low = remainder * b;
    long fraction;
    if (high == 0 && low >= 0) {
      fraction = low / c + (low % c == 0 ? 0 : 1);
    } else {
      BigInteger[] qr = BigInteger.valueOf(remainder).multiply(BigInteger.valueOf(b))
          .divideAndRemainder(BigInteger.valueOf(c));
      fraction = qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1);
    }
    return Math.addExact(whole, fraction);
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static long requireNonNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0: " + value);
    }
    return value;
  }

  private static long requirePositive(long value, String what) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be > 0: " + value);
    }
    return value;
  }
}
