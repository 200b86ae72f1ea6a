package org.vcpusim.scenarios.cli;

/**
 * A user's mistake (a bad file, an unknown option value): the CLI prints the message alone and exits
 * with {@link ExitCodes#BAD_INPUT}. The message already names the file, line and column.
 */
public final class UserInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserInputException(String message) {
    super(message);
  }

  public UserInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
