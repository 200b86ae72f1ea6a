package org.vcpusim.scenarios.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.vcpusim.scenarios.scenario.DurationSpec;
import org.vcpusim.scenarios.scenario.Scenario;
import org.vcpusim.scenarios.scenario.ScenarioLoader;

/**
 * The bundled library ({@code scenarios/library/}, on the test class path as {@code library/}) as
 * the run tests use it: each file with its text, and shortened so that the whole library runs
 * inside {@code mvn -B verify}: an ops-bounded scenario does at most {@link #MAX_TEST_OPS} ops per
 * thread, a timed one at most {@link #MAX_TEST_MS} simulated milliseconds. System properties
 * {@code vcpusim.test.ops} and {@code vcpusim.test.ms} raise (or lower) the caps; a cap of 0 runs
 * the files as they are.
 */
final class LibraryScenarios {
  /** Ops per thread of a shortened ops-bounded scenario. */
  static final long MAX_TEST_OPS = Long.getLong("vcpusim.test.ops", 600);
  /** Simulated milliseconds of a shortened timed scenario. */
  static final long MAX_TEST_MS = Long.getLong("vcpusim.test.ms", 20);

  /** A library file: its name (file stem), path, text and scenario as the file says. */
  record Entry(String name, Path path, String text, Scenario scenario) {
    @Override
    public String toString() {
      return name;
    }

    /** The scenario with the test caps applied. */
    Scenario shortened() {
      DurationSpec d = scenario.duration();
      if (d.byOps() && MAX_TEST_OPS > 0 && d.amount() > MAX_TEST_OPS) {
        return scenario.withDuration(DurationSpec.ops(MAX_TEST_OPS));
      }
      if (!d.byOps() && MAX_TEST_MS > 0 && d.amount() > MAX_TEST_MS) {
        return scenario.withDuration(DurationSpec.simulatedMs(MAX_TEST_MS));
      }
      return scenario;
    }
  }

  private LibraryScenarios() {}

  static List<Entry> all() {
    URL dir = LibraryScenarios.class.getClassLoader().getResource("library");
    if (dir == null) {
      throw new IllegalStateException("library/ is not on the test class path");
    }
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted()
          .map(LibraryScenarios::entry).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Entry get(String name) {
    return all().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }

  private static Entry entry(Path p) {
    try {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      String stem = p.getFileName().toString().replaceFirst("\\.yaml$", "");
      return new Entry(stem, p, text, ScenarioLoader.load(text, "scenarios/library/"
          + p.getFileName()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
