package org.vcpusim.scenarios.result;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The scenario as the report echoes it (report only, not in {@code result.json}): where it came
 * from, its description, its source text verbatim, and which check kinds fail a variant.
 *
 * @param source the file name (or another label) the scenario was read from
 * @param description the scenario's {@code description}, or empty
 * @param text the scenario file's text, verbatim
 * @param failOn the kinds {@code checks.fail_on} lists; empty when it says {@code all}
 */
public record ScenarioEcho(String source, String description, String text,
    Optional<List<String>> failOn) {

  /** Validates and copies. */
  public ScenarioEcho {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(text, "text");
    failOn = failOn.map(List::copyOf);
  }

  /** Whether a violation of {@code kind} fails its variant. */
  public boolean fails(String kind) {
    return failOn.map(kinds -> kinds.contains(kind)).orElse(true);
  }
}
