package org.vcpusim.core.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A {@link TraceSink} that keeps every record in memory, in arrival order, for tests (for example
 * to check that two runs with the same seed produce equal traces) and small tools.
 *
 * <p><b>Caveats</b>: not thread-safe; memory grows with every record.
 */
public final class RecordingTraceSink implements TraceSink {

  private final List<TraceRecord> records = new ArrayList<>();

  @Override
  public void slice(String track, String name, long startTick, long endTick, TraceArgs args) {
    if (endTick < startTick) {
      throw new IllegalArgumentException("slice " + name + " on " + track + " ends at " + endTick
          + ", before its start " + startTick);
    }
    add(TraceRecord.Kind.SLICE, track, name, startTick, endTick, 0, args);
  }

  @Override
  public void instant(String track, String name, long tick, TraceArgs args) {
    add(TraceRecord.Kind.INSTANT, track, name, tick, tick, 0, args);
  }

  @Override
  public void counter(String track, String name, long tick, double value) {
    add(TraceRecord.Kind.COUNTER, track, name, tick, tick, value, TraceArgs.NONE);
  }

  /** The records so far, oldest first (an unmodifiable view). */
  public List<TraceRecord> records() {
    return Collections.unmodifiableList(records);
  }

  /** Number of records so far. */
  public int size() {
    return records.size();
  }

  /** Discards every record. */
  public void clear() {
    records.clear();
  }

  private void add(TraceRecord.Kind kind, String track, String name, long startTick, long endTick,
      double value, TraceArgs args) {
    records.add(new TraceRecord(kind, Objects.requireNonNull(track, "track"),
        Objects.requireNonNull(name, "name"), startTick, endTick, value,
        Objects.requireNonNull(args, "args")));
  }
}
