package org.vcpusim.core.stats;

/**
 * An integer level that can go up and down, e.g. {@code mm1.cids.in_use}; exported as a JSON
 * integer.
 *
 * <p><b>Caveats</b>: not thread-safe.
 */
public final class LongGauge extends LongStat {

  LongGauge(String name) {
    super(name);
  }

  /** Sets the level. */
  public void set(long value) {
    this.value = value;
  }

  /** Adds {@code delta} (may be negative). */
  public void add(long delta) {
    value = Math.addExact(value, delta);
  }
}
