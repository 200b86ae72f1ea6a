package org.vcpusim.scenarios.cli;

import java.io.PrintWriter;
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

  static Scenario load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserInputException(file + ": no such scenario file");
    }
    return ScenarioLoader.load(file);
  }

  static int runAndReport(Scenario scenario, Path out, boolean trace, PrintWriter stdout) {
    Path dir = out != null ? out : Path.of(DEFAULT_OUT_ROOT, scenario.name());
    ScenarioRun run = new ScenarioRunner(Progress.forTerminal(), trace).run(scenario);
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
    String verdict = run.failed(v) ? "FAIL" : "pass";
    String expected = run.expected(v).spelling();
    String agreement = verdict.equalsIgnoreCase(expected) ? "as expected" : "expected " + expected;
    return String.format(Locale.ROOT,
        "%-28s %-15s %-11s %-9s %8.2f cycles/op  %6.2f loads/op  %d violations  %s (%s)",
        v.name(), v.abi(), v.cidAllocator(), v.idUpdate(), v.cyclesPerOp(), v.loadsPerOp(),
        v.violations().size(), verdict, agreement);
  }
}
