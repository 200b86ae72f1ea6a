package org.vcpusim.scenarios.result;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Locale-independent fixed-decimal spelling of doubles, for every output a result reaches
 * ({@code result.json}, reports, traces): {@code BigDecimal} rounding half-even, no grouping, a
 * {@code .} separator, {@code -0} written as {@code 0}. {@code String.format} is not used because
 * its output follows the default locale unless every call remembers {@code Locale.ROOT}.
 */
public final class Decimals {
  private Decimals() {}

  /**
   * {@code value} with exactly {@code places} decimals.
   *
   * @throws IllegalArgumentException for NaN or an infinity (callers decide how to show those)
   */
  public static String fixed(double value, int places) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    BigDecimal d = BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_EVEN);
    if (d.signum() == 0) {
      d = d.abs();
    }
    return d.toPlainString();
  }

  /** {@link #fixed} for finite values, {@code ifNotFinite} otherwise. */
  public static String fixedOr(double value, int places, String ifNotFinite) {
    return Double.isFinite(value) ? fixed(value, places) : ifNotFinite;
  }
}
