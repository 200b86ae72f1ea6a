package org.vcpusim.cpu.asm;

import java.util.Objects;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * The one error the assembler reports: where (file, 1-based line, 1-based column), what is wrong,
 * what was expected instead and the offending source text.
 *
 * <p>The message has the form compilers and editors use, so a user can jump to it:
 *
 * <pre>{@code file:line:col: error: <what>; expected <what> (near '<text>')}</pre>
 *
 * <p>The assembler stops at the first error, so one source has at most one message. The command
 * line turns this exception into exit code 2 without a stack trace (design brief, "Command line").
 *
 * <p>Columns count characters from 1, a tab counting as one column.
 */
public final class AsmException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient SourceLocation location;
  private final String problem;
  private final String expected;
  private final String near;

  /**
   * @param location where the offending text starts
   * @param problem what is wrong, e.g. {@code "undefined symbol 'foo'"}
   * @param expected what would have been accepted, or null when nothing useful can be said
   * @param near the offending source text, or null when there is none (end of line)
   */
  public AsmException(SourceLocation location, String problem, String expected, String near) {
    super(format(location, problem, expected, near));
    this.location = Objects.requireNonNull(location);
    this.problem = Objects.requireNonNull(problem);
    this.expected = expected;
    this.near = near;
  }

  private static String format(
      SourceLocation location, String problem, String expected, String near) {
    StringBuilder sb = new StringBuilder();
    sb.append(location).append(": error: ").append(problem);
    if (expected != null) {
      sb.append("; expected ").append(expected);
    }
    if (near != null) {
      sb.append(" (near '").append(near).append("')");
    }
    return sb.toString();
  }

  /** Where the offending text starts. */
  public SourceLocation location() {
    return location;
  }

  /** What is wrong, without location or expectation. */
  public String problem() {
    return problem;
  }

  /** What would have been accepted, or null. */
  public String expected() {
    return expected;
  }

  /** The offending source text, or null at the end of a line. */
  public String near() {
    return near;
  }
}
