package org.vcpusim.core.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A named statistic of a {@link StatsRegistry}: a {@link Counter}, a {@link LongGauge}, a {@link
 * DoubleGauge} or a {@link Distribution}.
 */
public abstract sealed class Stat permits LongStat, DoubleGauge, Distribution {

  private final String name;

  Stat(String name) {
    this.name = name;
  }

  /** The full dotted name, e.g. {@code cpu3.l1d.misses}. */
  public final String name() {
    return name;
  }

  /** Returns the statistic to its initial state (zero, or no samples). */
  public abstract void reset();

  /** Writes the statistic's JSON value (a number or an object). */
  abstract void writeValue(JsonGenerator json) throws IOException;
}
