package org.vcpusim.scenarios.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vcpusim.scenarios.report.ReportWriter;
import org.vcpusim.scenarios.result.RunResult;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.scenario.Scenario;
import org.vcpusim.scenarios.scenario.Verdict;
import org.vcpusim.scenarios.trace.ChromeTraceWriter;

/**
 * A finished run of a scenario: its {@link RunResult}, the schedules recorded for {@code
 * trace.json} (empty unless tracing), and the verdicts.
 *
 * @param scenario the scenario as run
 * @param result the result every output is rendered from
 * @param tracks one recorded schedule per variant when tracing, else empty
 */
public record ScenarioRun(Scenario scenario, RunResult result,
    List<ChromeTraceWriter.Track> tracks) {
  /** The file {@link #writeOutputs} writes the trace to. */
  public static final String TRACE_JSON = "trace.json";

  public ScenarioRun {
    tracks = List.copyOf(tracks);
  }

  /** The verdict of {@code v}: fail when a violation of a kind that fails the run was found. */
  public Verdict verdict(VariantResult v) {
    return v.verdict(result.echo());
  }

  /** Whether {@code v} failed. */
  public boolean failed(VariantResult v) {
    return verdict(v) == Verdict.FAIL;
  }

  /** Whether any variant failed: exit code 1 (DESIGN.md, "Exit codes"). */
  public boolean failed() {
    for (VariantResult v : result.variants()) {
      if (failed(v)) {
        return true;
      }
    }
    return false;
  }

  /** The verdict the scenario file expects of {@code v}. */
  public Verdict expected(VariantResult v) {
    return v.notes().expect();
  }

  /** Whether every variant got the verdict its scenario expects. */
  public boolean asExpected() {
    return result.asExpected();
  }

  /**
   * Writes {@code result.json}, {@code report.md}, {@code report.html} and, when tracing, {@code
   * trace.json} into {@code dir} (created if needed), each to a temporary name then renamed.
   *
   * @return the files written
   */
  public List<Path> writeOutputs(Path dir) {
    List<Path> written = new ArrayList<>(ReportWriter.writeAll(dir, result));
    if (!tracks.isEmpty()) {
      Path trace = dir.resolve(TRACE_JSON);
      ChromeTraceWriter.write(trace, tracks);
      written.add(trace);
    }
    return written;
  }
}
