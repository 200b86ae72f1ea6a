package org.vcpusim.scenarios.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vcpusim.scenarios.result.VariantResult;
import org.vcpusim.scenarios.result.Violation;
import org.vcpusim.scenarios.scenario.Verdict;

/**
 * Every bundled scenario runs (shortened, {@link LibraryScenarios}) and every variant ends with the
 * verdict its file expects: the correct variants with no violation of a failing kind, the hazards
 * and the cached-slab regression with one. A variant that passes must also have done its work
 * (ops above zero), so that "no violation" cannot come from a run that did nothing.
 */
class BundledScenariosTest {
  static List<LibraryScenarios.Entry> library() {
    return LibraryScenarios.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("library")
  void endsWithTheVerdictItsFileExpects(LibraryScenarios.Entry entry) {
    ScenarioRun run =
        new ScenarioRunner(Progress.none(), false).run(entry.shortened(), entry.text());
    StringBuilder log = new StringBuilder(entry.name()).append('\n');
    for (VariantResult v : run.result().variants()) {
      log.append(String.format(Locale.ROOT,
          "  %-28s %-6s (expects %-4s) ops %7d  %7.2f cycles/op  aborts %s  cid changes %d  max"
              + " cid %d  gs writes %d  footprint %d  violations %s%n",
          v.name(), run.verdict(v).spelling(), run.expected(v).spelling(), v.ops(),
          v.cyclesPerOp(), v.rseqAborts(), v.cidChanges(), v.maxCid(), v.gsWrites(),
          v.footprintBytes(), v.violations().stream().map(Violation::kind).distinct()
              .collect(Collectors.toList())));
    }
    System.out.print(log);
    for (VariantResult v : run.result().variants()) {
      assertEquals(run.expected(v), run.verdict(v), () -> log + "\n" + v.name() + ": "
          + v.violations().stream().limit(3).map(Violation::message)
              .collect(Collectors.joining("\n")));
      if (run.verdict(v) == Verdict.PASS) {
        assertTrue(v.ops() > 0, v.name() + " did no op");
      }
    }
  }
}
