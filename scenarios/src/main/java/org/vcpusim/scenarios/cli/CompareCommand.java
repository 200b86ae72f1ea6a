package org.vcpusim.scenarios.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vcpusim compare FILE.yaml [--variants a,b,...] [--out DIR]}: every variant of a scenario
 * (or the ones named) on the same seed and machine, in one design-review report. The shared flow
 * and the exit codes are {@link ScenarioCommands}'.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs every variant of the scenario FILE (or those --variants names) on the same seed and "
          + "machine and writes one design-review report comparing them: DIR/report.html, "
          + "DIR/report.md, DIR/result.json, DIR/result.csv.",
      "",
      "Exit codes: 0 every check held; 1 a check failed; 2 bad input (file:line:column); "
          + "3 internal error.",
      ""
    })
final class CompareCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The scenario file (YAML).")
  Path file;

  @Option(names = "--variants", split = ",", paramLabel = "NAME",
      description = "Variant names to compare, comma-separated (default: every variant the file "
          + "declares; without a variants key these are the four ABI names).")
  List<String> variants = new ArrayList<>();

  @Mixin ScenarioRunOptions options;

  @Override
  public Integer call() {
    return options.runAndReport(
        file,
        scenario -> variants.isEmpty() ? scenario : scenario.withVariants(variants),
        spec.commandLine().getOut());
  }
}
