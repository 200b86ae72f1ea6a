package org.vcpusim.scenarios.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code vcpusim run FILE.yaml [--out DIR] [--seed N] [--trace]}: runs one scenario as its file
 * declares it (its {@code variants}, or the four ABI variants) and writes the outputs. The shared
 * flow and the exit codes are {@link ScenarioCommands}'.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the scenario FILE (docs/scenario-format.md): every variant it declares, on one seed.",
      "Writes DIR/result.json, DIR/result.csv, DIR/report.md and DIR/report.html "
          + "(and DIR/trace.json with "
          + "--trace), each whole or not at all.",
      "",
      "Exit codes: 0 every check held; 1 a check failed (the report says which and whether the "
          + "scenario expected it); 2 bad input (file:line:column); 3 internal error.",
      ""
    })
final class RunCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The scenario file (YAML).")
  Path file;

  @Mixin ScenarioRunOptions options;

  @Override
  public Integer call() {
    return options.runAndReport(file, UnaryOperator.identity(), spec.commandLine().getOut());
  }
}
