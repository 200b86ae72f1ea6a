package org.vcpusim.core.trace;

/**
 * One record kept by {@link RecordingTraceSink}. For an instant {@code endTick == startTick}; for
 * a counter {@code endTick == startTick} and {@code args} is {@link TraceArgs#NONE}; {@code value}
 * is 0 except for counters.
 */
public record TraceRecord(
    Kind kind, String track, String name, long startTick, long endTick, double value,
    TraceArgs args) {

  /** The kind of a record. */
  public enum Kind {
    SLICE, INSTANT, COUNTER
  }
}
