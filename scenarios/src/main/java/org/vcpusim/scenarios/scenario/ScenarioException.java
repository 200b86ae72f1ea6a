package org.vcpusim.scenarios.scenario;

/**
 * A scenario file that cannot be used: its message is one line, {@code file:line:column: what is
 * wrong (and what is allowed)}, or {@code file: what is wrong} when no position applies (an
 * unreadable file, an unknown variant on the command line). The CLI prints the message alone and
 * exits with code 2 (bad input).
 */
public final class ScenarioException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The file named in the message. */
  private final String file;
  /** 1-based line, or 0 when the problem has no position. */
  private final int line;
  /** 1-based column, or 0 when the problem has no position. */
  private final int column;
  /** What is wrong, without the position. */
  private final String problem;

  /** A problem at {@code line:column} (both 1-based) of {@code file}. */
  public ScenarioException(String file, int line, int column, String problem) {
    super(file + ":" + line + ":" + column + ": " + problem);
    this.file = file;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** A problem of {@code file} as a whole. */
  public ScenarioException(String file, String problem) {
    this(file, problem, null);
  }

  /** A problem of {@code file} as a whole, caused by {@code cause}. */
  public ScenarioException(String file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
    this.line = 0;
    this.column = 0;
    this.problem = problem;
  }

  /** The file named in the message. */
  public String file() {
    return file;
  }

  /** The 1-based line of the problem, 0 when it has none. */
  public int line() {
    return line;
  }

  /** The 1-based column of the problem, 0 when it has none. */
  public int column() {
    return column;
  }

  /** What is wrong, without the file and position. */
  public String problem() {
    return problem;
  }
}
