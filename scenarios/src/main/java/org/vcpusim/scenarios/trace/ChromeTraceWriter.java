package org.vcpusim.scenarios.trace;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.vcpusim.scenarios.result.AtomicFiles;
import org.vcpusim.scenarios.result.ResultJsonWriter;

/**
 * Writes {@code trace.json} in the Chrome trace-event format (the JSON object form: {@code
 * {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}}), which ui.perfetto.dev and
 * chrome://tracing open. Format: the "Trace Event Format" document (Google, 2016) that Perfetto's
 * JSON importer follows.
 *
 * <p>One trace process per {@link Track} (a variant's machine; {@code pid} = track index + 1,
 * named by {@code process_name} metadata), one thread per CPU ({@code tid} = CPU number, named
 * {@code cpu N}, sorted by number). On each CPU: a complete event ({@code "ph": "X"}, category
 * {@code sched}) per task run, named {@code tid N (process)}; instant events ({@code "ph": "i"},
 * thread scope {@code "s": "t"}) for rseq aborts (category {@code rseq}, the cause in the name and
 * args), cid changes ({@code cid}, {@code old -> new}) and GS-base writes ({@code gs}). When a
 * recorder hit its cap, a process-scope instant marks the moment and {@code otherData} says how
 * many events were dropped.
 *
 * <p>Times: {@code ts} and {@code dur} are microseconds (the format's unit) of simulated time,
 * written exactly from picosecond ticks with six decimals. Events are sorted by start time (ties
 * in recording order), metadata first. Byte-stable for the same recorders.
 */
public final class ChromeTraceWriter {
  /** Picoseconds per microsecond (the format's time unit). */
  private static final long PS_PER_US = 1_000_000L;

  /** One machine's schedule: a label (the variant's name) and its recorder, already finished. */
  public record Track(String label, ScheduleRecorder recorder) {
    /** Validates. */
    public Track {
      Objects.requireNonNull(label);
      Objects.requireNonNull(recorder);
    }
  }

  private ChromeTraceWriter() {}

  /** Writes the trace of {@code tracks} to {@code file} atomically (whole or absent). */
  public static void write(Path file, List<Track> tracks) {
    AtomicFiles.write(file, out -> {
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      writeTo(w, tracks);
      w.flush();
    });
  }

  /** The trace as a string (small traces, tests). */
  public static String toJson(List<Track> tracks) {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      writeTo(w, tracks);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** Streams the trace to {@code w}. */
  public static void writeTo(Writer w, List<Track> tracks) throws IOException {
    w.write("{\"traceEvents\": [\n");
    boolean first = true;
    for (int t = 0; t < tracks.size(); t++) {
      Track track = tracks.get(t);
      int pid = t + 1;
      ScheduleRecorder r = track.recorder();
      first = event(w, first, metadata("process_name", pid, 0, "name",
          ResultJsonWriter.quote(track.label())));
      first = event(w, first, metadata("process_sort_index", pid, 0, "sort_index",
          Integer.toString(pid)));
      for (int cpu = 0; cpu <= r.maxCpu(); cpu++) {
        first = event(w, first, metadata("thread_name", pid, cpu, "name",
            ResultJsonWriter.quote("cpu " + cpu)));
        first = event(w, first, metadata("thread_sort_index", pid, cpu, "sort_index",
            Integer.toString(cpu)));
      }
      List<TraceEvent> sorted = new ArrayList<>(r.events());
      sorted.sort(Comparator.comparingLong(TraceEvent::start));
      for (TraceEvent e : sorted) {
        first = event(w, first, traceEvent(e, pid));
      }
      if (r.droppedEvents() > 0) {
        first = event(w, first, "{\"name\": " + ResultJsonWriter.quote("trace truncated: "
            + r.droppedEvents() + " events dropped after " + r.maxEvents())
            + ", \"cat\": \"trace\", \"ph\": \"i\", \"s\": \"p\", \"ts\": "
            + micros(r.truncatedAt()) + ", \"pid\": " + pid + ", \"tid\": 0}");
      }
    }
    w.write("\n],\n\"displayTimeUnit\": \"ns\",\n\"otherData\": {\"generator\": \"vcpusim\", "
        + "\"clock\": \"simulated time\"");
    for (int t = 0; t < tracks.size(); t++) {
      ScheduleRecorder r = tracks.get(t).recorder();
      String prefix = "pid " + (t + 1) + " ";
      w.write(", " + ResultJsonWriter.quote(prefix + "events") + ": \"" + r.events().size() + "\"");
      w.write(", " + ResultJsonWriter.quote(prefix + "truncated") + ": \""
          + (r.droppedEvents() > 0) + "\"");
      if (r.droppedEvents() > 0) {
        w.write(", " + ResultJsonWriter.quote(prefix + "dropped_events") + ": \""
            + r.droppedEvents() + "\", " + ResultJsonWriter.quote(prefix + "truncated_at_us")
            + ": \"" + micros(r.truncatedAt()) + "\"");
      }
    }
    w.write("}\n}\n");
  }

  /** Exact microseconds of a picosecond tick, six decimals. */
  static String micros(long ps) {
    if (ps < 0) {
      throw new IllegalArgumentException("negative time " + ps);
    }
    String frac = Long.toString(ps % PS_PER_US);
    return (ps / PS_PER_US) + "." + "0".repeat(6 - frac.length()) + frac;
  }

  private static boolean event(Writer w, boolean first, String json) throws IOException {
    if (!first) {
      w.write(",\n");
    }
    w.write(json);
    return false;
  }

  private static String metadata(String name, int pid, int tid, String argKey, String argJson) {
    return "{\"name\": \"" + name + "\", \"ph\": \"M\", \"ts\": 0, \"pid\": " + pid
        + ", \"tid\": " + tid + ", \"args\": {\"" + argKey + "\": " + argJson + "}}";
  }

  private static String traceEvent(TraceEvent e, int pid) {
    StringBuilder s = new StringBuilder(160);
    s.append("{\"name\": ").append(ResultJsonWriter.quote(e.name())).append(", \"cat\": \"")
        .append(e.type().category()).append('"');
    if (e.type() == TraceEvent.Type.RUN) {
      s.append(", \"ph\": \"X\", \"ts\": ").append(micros(e.start())).append(", \"dur\": ")
          .append(micros(e.end() - e.start()));
    } else {
      s.append(", \"ph\": \"i\", \"s\": \"t\", \"ts\": ").append(micros(e.start()));
    }
    s.append(", \"pid\": ").append(pid).append(", \"tid\": ").append(e.cpu()).append(", \"args\": {");
    for (int i = 0; i < e.args().size(); i += 2) {
      if (i > 0) {
        s.append(", ");
      }
      s.append(ResultJsonWriter.quote(e.args().get(i))).append(": ")
          .append(ResultJsonWriter.quote(e.args().get(i + 1)));
    }
    return s.append("}}").toString();
  }
}
