package org.vcpusim.scenarios.cli;

import org.vcpusim.scenarios.scenario.ScenarioException;

/** The process exit codes of the CLI contract (DESIGN.md, "Command line"). */
public final class ExitCodes {
  /** Ran, and every check held. */
  public static final int OK = 0;
  /** Ran, and a check failed: a finding, with the report written. */
  public static final int CHECK_FAILED = 1;
  /** Bad input or usage: one message naming file, line and column, no stack trace. */
  public static final int BAD_INPUT = 2;
  /** A bug in the simulator itself. */
  public static final int INTERNAL_ERROR = 3;

  private ExitCodes() {}

  static int forException(Throwable t) {
    return t instanceof UserInputException || t instanceof ScenarioException
        ? BAD_INPUT
        : INTERNAL_ERROR;
  }
}
