package org.vcpusim.core.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * What the two integer statistics share: a {@code long} that starts and resets at 0 and is
 * exported as a JSON integer. {@link Counter} only counts up; {@link LongGauge} is set and moves
 * both ways.
 *
 * <p><b>Caveats</b>: not thread-safe.
 */
abstract sealed class LongStat extends Stat permits Counter, LongGauge {

  /** The current value; the subclasses change it. */
  long value;

  LongStat(String name) {
    super(name);
  }

  /** The current value: a counter's count, a gauge's level. */
  public final long value() {
    return value;
  }

  @Override
  public final void reset() {
    value = 0;
  }

  @Override
  final void writeValue(JsonGenerator json) throws IOException {
    json.writeNumber(value);
  }
}
