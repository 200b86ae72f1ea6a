package org.vcpusim.scenarios.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vcpusim.scenarios.result.HostInfo;
import org.vcpusim.scenarios.result.RunResult;
import org.vcpusim.scenarios.result.ScenarioEcho;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.scenario.CheckKind;
import org.vcpusim.scenarios.scenario.Scenario;
import org.vcpusim.scenarios.scenario.VariantSpec;
import org.vcpusim.scenarios.trace.ChromeTraceWriter;

/**
 * Runs a scenario: each of its variants in turn on a machine of its own ({@link VariantRunner}),
 * all on the scenario's seed, and gathers them into one {@link RunResult} with the host figures
 * (wall time, simulated instructions, events, MIPS). Variants are independent: nothing but the
 * scenario and the seed passes from one to the next, which is what makes {@code compare} fair and
 * every figure outside {@code host} deterministic.
 *
 * <p><b>Caveats:</b> runs on the calling thread; a runner holds no state between runs.
 */
public final class ScenarioRunner {
  private final Progress progress;
  private final boolean trace;

  /**
   * @param progress where to show progress ({@link Progress#none()} for tests)
   * @param trace whether to record the schedule for {@code trace.json}
   */
  public ScenarioRunner(Progress progress, boolean trace) {
    this.progress = progress;
    this.trace = trace;
  }

  /**
   * Runs every variant of {@code scenario}.
   *
   * @param sourceText the scenario file's text, echoed by the report
   */
  public ScenarioRun run(Scenario scenario, String sourceText) {
    long start = System.nanoTime();
    List<VariantResult> variants = new ArrayList<>();
    List<ChromeTraceWriter.Track> tracks = new ArrayList<>();
    long instructions = 0;
    long events = 0;
    int index = 0;
    for (VariantSpec v : scenario.variants()) {
      VariantRunner.Outcome o =
          new VariantRunner(scenario, v, progress, trace, index++, scenario.variants().size())
              .run();
      variants.add(o.result());
      instructions += o.instructions();
      events += o.events();
      if (trace) {
        tracks.add(new ChromeTraceWriter.Track(v.name(), o.recorder()));
      }
    }
    progress.finish();
    double wall = (System.nanoTime() - start) / 1e9;
    RunResult result = new RunResult(scenario.name(), scenario.seed(), variants,
        HostInfo.of(wall, instructions, events), echo(scenario, sourceText));
    return new ScenarioRun(scenario, result, tracks);
  }

  private static ScenarioEcho echo(Scenario scenario, String text) {
    Optional<List<String>> failOn = Optional.empty();
    if (!scenario.checks().failOnAll()) {
      List<String> kinds = new ArrayList<>();
      for (CheckKind k : scenario.checks().failOn()) {
        kinds.add(k.spelling());
      }
      failOn = Optional.of(kinds);
    }
    return new ScenarioEcho(scenario.source(), scenario.description(), text, failOn);
  }
}
