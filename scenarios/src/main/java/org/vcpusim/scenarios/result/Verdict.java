package org.vcpusim.scenarios.result;

import java.util.Locale;

/**
 * A variant's verdict: {@code pass} when no failing check was violated, {@code fail} otherwise —
 * the words scenario files use for {@code expect}.
 */
public enum Verdict {
  /** Every failing check held. */
  PASS,
  /** At least one failing check was violated. */
  FAIL;

  /** The scenario-file spelling: {@code pass} or {@code fail}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
