package org.vcpusim.scenarios.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.vcpusim.scenarios.result.ResultJsonWriter;
import org.vcpusim.scenarios.scenario.DurationSpec;
import org.vcpusim.scenarios.scenario.Scenario;

/**
 * {@code result.json} without its {@code host} object is a function of the scenario and the seed
 * (DESIGN.md, "Determinism"): the same run twice gives the same bytes, also under another default
 * locale; another seed gives other bytes (so the comparison can fail); and the bytes equal a
 * golden file kept in the test resources, which pins every figure of the microbenchmark's four
 * variants (and one of the no-origin hazard, which pins its violations too). A deliberate model change updates the golden: run with {@code
 * -Dvcpusim.golden.update=true} and commit the file with the reason.
 */
class ResultDeterminismTest {
  private static final String GOLDEN = "golden/allocator-microbench-2000.result.json";
  private static final String HAZARD_GOLDEN = "golden/gs-hazard-no-origin-300.result.json";

  private static String run(Scenario s, String text) {
    return ResultJsonWriter.toJsonWithoutHost(
        new ScenarioRunner(Progress.none(), false).run(s, text).result());
  }

  private static LibraryScenarios.Entry microbench() {
    return LibraryScenarios.get("allocator-microbench");
  }

  private static Scenario short2000() {
    return microbench().scenario().withDuration(DurationSpec.ops(2000));
  }

  @Test
  void sameScenarioTwiceGivesTheSameBytesInAnyLocale() {
    String text = microbench().text();
    String first = run(short2000(), text);
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.forLanguageTag("de-DE"));
      assertEquals(first, run(short2000(), text));
      Locale.setDefault(Locale.forLanguageTag("ar-EG"));
      assertEquals(first, run(short2000(), text));
    } finally {
      Locale.setDefault(saved);
    }
    assertNotEquals(first, run(short2000().withSeed(7), text),
        "another seed must change something, or the comparison proves nothing");
  }

  @Test
  void theMicrobenchmarkMatchesItsGolden() throws IOException {
    assertGolden(GOLDEN, run(short2000(), microbench().text()));
  }

  /**
   * The no-origin hazard, violations included: the fault's tick, CPU, task and message are part
   * of the result and as deterministic as the figures.
   */
  @Test
  void theNoOriginHazardMatchesItsGolden() throws IOException {
    LibraryScenarios.Entry e = LibraryScenarios.get("gs-hazard-no-origin");
    assertGolden(HAZARD_GOLDEN, run(e.scenario().withDuration(DurationSpec.ops(300)), e.text()));
  }

  private void assertGolden(String golden, String actual) throws IOException {
    if (Boolean.getBoolean("vcpusim.golden.update")) {
      Path p = Path.of("src/test/resources", golden);
      Files.createDirectories(p.getParent());
      Files.writeString(p, actual, StandardCharsets.UTF_8);
    }
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(golden)) {
      if (in == null) {
        throw new AssertionError(golden + " is missing: run with -Dvcpusim.golden.update=true");
      }
      assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), actual);
    }
  }
}
