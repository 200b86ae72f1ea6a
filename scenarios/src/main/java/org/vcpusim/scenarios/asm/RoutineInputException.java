package org.vcpusim.scenarios.asm;

/**
 * A mistake in what the user asked {@link RoutineRunner} to do, found before the routine runs: an
 * unknown entry symbol, profile or dump symbol, a malformed {@code --dump} spec, a program whose
 * sections cover one of the process image's fixed regions. The message names the offending input;
 * the command line prints it alone and exits with code 2. (Errors in the assembly source itself are
 * {@link org.vcpusim.cpu.asm.AsmException}s, with file, line and column.)
 */
public final class RoutineInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RoutineInputException(String message) {
    super(message);
  }
}
