package org.vcpusim.core.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A monotone event count, e.g. {@code cpu3.l1d.misses}; exported as a JSON integer.
 *
 * <p><b>Caveats</b>: not thread-safe; overflow past {@code Long.MAX_VALUE} throws.
 */
public final class Counter extends Stat {

  private long value;

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

  /** The current count. */
  public long value() {
    return value;
  }

  @Override
  public void reset() {
    value = 0;
  }

  @Override
  void writeValue(JsonGenerator json) throws IOException {
    json.writeNumber(value);
  }
}
