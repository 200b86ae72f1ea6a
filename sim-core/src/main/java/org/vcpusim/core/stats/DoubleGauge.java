package org.vcpusim.core.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A real-valued scalar, e.g. {@code sched.utilization}; exported as a JSON number in the shortest
 * form that reads back to the same double ({@link Double#toString(double)} rules, independent of
 * the default locale).
 *
 * <p><b>Caveats</b>: not thread-safe; NaN and infinities are rejected because JSON cannot carry
 * them.
 */
public final class DoubleGauge extends Stat {

  private double value;

  DoubleGauge(String name) {
    super(name);
  }

  /**
   * Sets the value.
   *
   * @throws IllegalArgumentException if {@code value} is NaN or infinite
   */
  public void set(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("gauge " + name() + " must be finite: " + value);
    }
    this.value = value;
  }

  /** The current value. */
  public double value() {
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
