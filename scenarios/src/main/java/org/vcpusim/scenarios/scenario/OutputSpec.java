package org.vcpusim.scenarios.scenario;

/**
 * Optional outputs of a run ({@code outputs:}); {@code result.json}, {@code report.md} and {@code
 * report.html} are always written.
 *
 * @param trace whether to write {@code trace.json} (Chrome trace events for ui.perfetto.dev), as
 *     {@code --trace} does
 */
public record OutputSpec(boolean trace) {
  /** No optional output. */
  public static final OutputSpec NONE = new OutputSpec(false);
}
