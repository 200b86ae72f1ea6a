package org.vcpusim.scenarios.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.vcpusim.scenarios.result.RunResult;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.run.Progress;
import org.vcpusim.scenarios.run.ScenarioRun;
import org.vcpusim.scenarios.run.ScenarioRunner;
import org.vcpusim.scenarios.scenario.Scenario;
import org.vcpusim.scenarios.scenario.ScenarioLoader;

/**
 * What {@code vcpusim run} and {@code vcpusim compare} share: read the scenario (a bad file is
 * exit 2 with {@code file:line:column}), run its variants ({@link ScenarioRunner}), write {@code
 * result.json}, {@code report.md}, {@code report.html} and, when asked, {@code trace.json} into
 * the output directory (each whole or absent), print one line per variant and where the report
 * is, and map the outcome to the exit code of DESIGN.md: 0 when every check held, 1 when a check
 * that fails the run found a violation (the report says which, and whether the scenario expected
 * it).
 */
final class ScenarioCommands {
  /** Where outputs go when {@code --out} is not given: {@code vcpusim-out/<scenario>}. */
  static final String DEFAULT_OUT_ROOT = "vcpusim-out";

  private ScenarioCommands() {}

  /** A scenario file and its text (the report echoes it). */
  record Loaded(Scenario scenario, String text) {
    Loaded with(Scenario s) {
      return new Loaded(s, text);
    }
  }

  static Loaded load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserInputException(file + ": no such scenario file");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserInputException(file + ": cannot read: " + e.getMessage());
    }
    return new Loaded(ScenarioLoader.load(text, file.toString()), text);
  }

  static int runAndReport(Loaded loaded, Path out, boolean trace, PrintWriter stdout) {
    Scenario scenario = loaded.scenario();
    Path dir = out != null ? out : Path.of(DEFAULT_OUT_ROOT, scenario.name());
    ScenarioRun run =
        new ScenarioRunner(Progress.forTerminal(), trace).run(scenario, loaded.text());
    List<Path> written = run.writeOutputs(dir);
    RunResult result = run.result();
    for (VariantResult v : result.variants()) {
      stdout.println(summary(v, run));
    }
    stdout.println(String.format(Locale.ROOT, "host: %.1f s, %,d simulated instructions, %.1f MIPS",
        result.host().wallSeconds(), result.host().simulatedInstructions(), result.host().mips()));
    for (Path p : written) {
      stdout.println("wrote " + p);
    }
    stdout.println("report: " + dir.resolve("report.html"));
    stdout.flush();
    return run.failed() ? ExitCodes.CHECK_FAILED : ExitCodes.OK;
  }

  private static String summary(VariantResult v, ScenarioRun run) {
    String verdict = run.verdict(v).spelling();
    String expected = run.expected(v).spelling();
    String agreement = verdict.equals(expected) ? "as expected" : "UNEXPECTED, the file expects "
        + expected;
    return String.format(Locale.ROOT,
        "%-28s %-15s %-11s %-9s %8.2f cycles/op  %6.2f loads/op  %d violations  %s (%s)",
        v.name(), v.abi(), v.cidAllocator(), v.idUpdate(), v.cyclesPerOp(), v.loadsPerOp(),
        v.violations().size(), verdict, agreement);
  }
}
