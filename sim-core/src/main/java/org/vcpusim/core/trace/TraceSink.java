package org.vcpusim.core.trace;

/**
 * Receives timeline events of a run for a trace viewer: slices (a named interval on a track, e.g.
 * a task running on {@code cpu3}), instants (e.g. an rseq abort) and counters (e.g. the number of
 * cids in use). A track is a timeline named by a string ({@code "cpu3"}, {@code "mm1.cid"}); times
 * are ticks. The Perfetto writer implements this interface elsewhere; {@link #NONE} discards
 * everything and {@link RecordingTraceSink} keeps records in memory for tests.
 *
 * <p>Producers should test {@link #isEnabled()} before building {@link TraceArgs}, so that a run
 * without tracing allocates nothing for it.
 *
 * <p>Implementations may reject records with {@code endTick < startTick}, null names or tracks.
 */
public interface TraceSink {

  /** A sink that discards everything and reports itself disabled. */
  TraceSink NONE = DiscardingTraceSink.INSTANCE;

  /** Whether records are kept; {@code false} lets producers skip preparing them. */
  default boolean isEnabled() {
    return true;
  }

  /** An interval {@code [startTick, endTick]} called {@code name} on {@code track}. */
  void slice(String track, String name, long startTick, long endTick, TraceArgs args);

  /** A point event called {@code name} on {@code track} at {@code tick}. */
  void instant(String track, String name, long tick, TraceArgs args);

  /** Sets counter {@code name} of {@code track} to {@code value} from {@code tick} on. */
  void counter(String track, String name, long tick, double value);
}
