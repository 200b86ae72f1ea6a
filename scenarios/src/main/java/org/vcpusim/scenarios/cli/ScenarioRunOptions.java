package org.vcpusim.scenarios.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.vcpusim.scenarios.scenario.Scenario;
import picocli.CommandLine.Option;

/**
 * The options {@code run} and {@code compare} share, as a picocli {@code @Mixin}: {@code --out
 * DIR}, {@code --seed N} and {@code --trace}, and the flow they feed ({@link #runAndReport}: load,
 * command-specific changes, seed override, {@link ScenarioCommands#runAndReport}). Each command
 * keeps its own {@code FILE} parameter and description; picocli lists a mixin's options where
 * the {@code @Mixin} field stands among the command's own.
 *
 * <p><b>Caveats:</b> one instance per parsed command line, filled by picocli.
 */
final class ScenarioRunOptions {
  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory (default: " + ScenarioCommands.DEFAULT_OUT_ROOT
          + "/<scenario>).")
  Path out;

  @Option(names = "--seed", paramLabel = "N",
      description = "Run seed, replacing the file's seed.")
  Long seed;

  @Option(names = "--trace",
      description = "Also write trace.json (Chrome trace-event format; open in ui.perfetto.dev).")
  boolean trace;

  /**
   * Loads {@code file}, applies {@code change} (the command's own options) then {@code --seed},
   * runs and writes the outputs; returns the exit code of {@link ScenarioCommands#runAndReport}.
   * {@code --trace} or the file's {@code outputs.trace} turns the trace on.
   */
  int runAndReport(Path file, UnaryOperator<Scenario> change, PrintWriter stdout) {
    ScenarioCommands.Loaded loaded = ScenarioCommands.load(file);
    Scenario scenario = change.apply(loaded.scenario());
    if (seed != null) {
      scenario = scenario.withSeed(seed);
    }
    return ScenarioCommands.runAndReport(loaded.with(scenario), out,
        trace || scenario.outputs().trace(), stdout);
  }
}
