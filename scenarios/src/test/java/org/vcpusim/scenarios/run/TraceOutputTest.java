package org.vcpusim.scenarios.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vcpusim.scenarios.scenario.DurationSpec;
import org.vcpusim.scenarios.scenario.Scenario;

/**
 * A run with tracing writes {@code trace.json} that is valid trace-event JSON as ui.perfetto.dev
 * reads it: an object with a {@code traceEvents} array whose every event has {@code ph}, {@code
 * ts}, {@code pid}, {@code tid} and {@code name}, complete ({@code X}) events a non-negative
 * {@code dur}, one process per variant, and instant markers for the kernel events the run had.
 */
class TraceOutputTest {
  @Test
  void traceJsonIsValidTraceEventJson(@TempDir Path dir) throws Exception {
    LibraryScenarios.Entry e = LibraryScenarios.get("overcommit");
    Scenario s = e.scenario().withDuration(DurationSpec.ops(100));
    ScenarioRun run = new ScenarioRunner(Progress.none(), true).run(s, e.text());
    List<Path> files = run.writeOutputs(dir);
    Path trace = dir.resolve(ScenarioRun.TRACE_JSON);
    assertTrue(files.contains(trace), files.toString());
    JsonNode root = new ObjectMapper().readTree(Files.readString(trace));
    JsonNode events = root.get("traceEvents");
    assertTrue(events != null && events.isArray() && events.size() > 0, "traceEvents array");
    Set<Integer> pids = new HashSet<>();
    int runs = 0;
    int instants = 0;
    for (JsonNode ev : events) {
      for (String field : List.of("ph", "pid", "tid", "name")) {
        assertTrue(ev.has(field), "missing " + field + " in " + ev);
      }
      String ph = ev.get("ph").asText();
      if (!ph.equals("M")) {
        assertTrue(ev.has("ts") && ev.get("ts").isNumber(), "ts in " + ev);
      }
      if (ph.equals("X")) {
        runs++;
        assertTrue(ev.get("dur").asDouble() >= 0, "dur in " + ev);
      }
      if (ph.equals("i")) {
        instants++;
      }
      pids.add(ev.get("pid").asInt());
    }
    assertEquals(s.variants().size(), pids.size(), "one process per variant");
    assertTrue(runs > 0, "task runs on CPU tracks");
    assertTrue(instants > 0, "instant markers (aborts, cid changes, GS writes)");
  }
}
