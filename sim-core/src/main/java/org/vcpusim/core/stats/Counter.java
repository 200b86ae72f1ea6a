package org.vcpusim.core.stats;

/**
 * A monotone event count, e.g. {@code cpu3.l1d.misses}; exported as a JSON integer.
 *
 * <p><b>Caveats</b>: not thread-safe; overflow past {@code Long.MAX_VALUE} throws.
 */
public final class Counter extends LongStat {

  Counter(String name) {
    super(name);
  }

  /** Adds one. */
  public void increment() {
    value = Math.addExact(value, 1);
  }

  /**
   * Adds {@code delta}.
   *
   * @throws IllegalArgumentException if {@code delta < 0}: a counter only counts up
   */
  public void add(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("counter " + name() + " cannot decrease: " + delta);
    }
    value = Math.addExact(value, delta);
  }
}
