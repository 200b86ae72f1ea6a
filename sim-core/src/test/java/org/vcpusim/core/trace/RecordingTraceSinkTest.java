package org.vcpusim.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RecordingTraceSinkTest {

  @Test
  void recordsEveryKindInArrivalOrder() {
    RecordingTraceSink sink = new RecordingTraceSink();
    assertTrue(sink.isEnabled());
    TraceArgs args = TraceArgs.of("tid", 17, "cid", 2);
    sink.slice("cpu0", "task 17", 100, 250, args);
    sink.instant("cpu1", "rseq abort", 180, TraceArgs.of("ip", "0x401000"));
    sink.counter("mm1", "cids in use", 200, 3);
    assertEquals(List.of(
        new TraceRecord(TraceRecord.Kind.SLICE, "cpu0", "task 17", 100, 250, 0,
            TraceArgs.of("tid", 17, "cid", 2)),
        new TraceRecord(TraceRecord.Kind.INSTANT, "cpu1", "rseq abort", 180, 180, 0,
            TraceArgs.of("ip", "0x401000")),
        new TraceRecord(TraceRecord.Kind.COUNTER, "mm1", "cids in use", 200, 200, 3,
            TraceArgs.NONE)),
        sink.records());
    assertThrows(UnsupportedOperationException.class, () -> sink.records().clear());
    sink.clear();
    assertEquals(0, sink.size());
  }

  @Test
  void rejectsMalformedRecords() {
    RecordingTraceSink sink = new RecordingTraceSink();
    assertThrows(IllegalArgumentException.class,
        () -> sink.slice("cpu0", "backwards", 10, 9, TraceArgs.NONE));
    assertThrows(NullPointerException.class, () -> sink.instant(null, "x", 1, TraceArgs.NONE));
    assertThrows(NullPointerException.class, () -> sink.instant("cpu0", "x", 1, null));
    assertEquals(0, sink.size());
  }

  @Test
  void noneIsDisabledAndIgnoresEverything() {
    assertFalse(TraceSink.NONE.isEnabled());
    TraceSink.NONE.slice("cpu0", "x", 5, 1, null); // would be rejected by a real sink
    TraceSink.NONE.counter("cpu0", "x", 0, Double.NaN);
    assertEquals("TraceSink.NONE", TraceSink.NONE.toString());
  }

  @Test
  void argsKeepInsertionOrderAndCompareByContent() {
    TraceArgs ab = TraceArgs.builder().put("a", 1).put("b", 2.5).put("c", true).build();
    TraceArgs ba = TraceArgs.builder().put("b", 2.5).put("a", 1).put("c", true).build();
    assertNotEquals(ab, ba);
    assertEquals(ab, TraceArgs.builder().put("a", 1).put("b", 2.5).put("c", true).build());
    assertEquals(ab.hashCode(),
        TraceArgs.builder().put("a", 1).put("b", 2.5).put("c", true).build().hashCode());
    assertEquals("{a=1, b=2.5, c=true}", ab.toString());
    assertEquals(3, ab.size());
    assertEquals("b", ab.key(1));
    assertEquals(1L, ab.get("a"));
    assertNull(ab.get("z"));
    assertEquals(TraceArgs.NONE, TraceArgs.builder().build());
    assertThrows(IllegalArgumentException.class,
        () -> TraceArgs.builder().put("a", 1).put("a", 2));
    assertThrows(IllegalArgumentException.class, () -> TraceArgs.builder().put("", 1));
  }
}
