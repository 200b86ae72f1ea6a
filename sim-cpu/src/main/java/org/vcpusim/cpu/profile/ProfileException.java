package org.vcpusim.cpu.profile;

/**
 * A CPU profile file that cannot be used: unreadable, not valid YAML, an unknown or missing key, a
 * value of the wrong type or out of range, or a figure without a source. The message names the
 * profile, the key and, where the parser knows it, the line and column.
 */
public final class ProfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProfileException(String message) {
    super(message);
  }

  public ProfileException(String message, Throwable cause) {
    super(message, cause);
  }
}
