package org.vcpusim.scenarios.asm;

import java.util.Locale;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * A run that ended before the last call returned: a simulation result, not a simulator error.
 *
 * @param reason why it stopped
 * @param phase the run it happened in: {@code cold}, {@code warm-up}, {@code warm} or {@code
 *     measured} (see {@link RoutineRunner})
 * @param call the 1-based call of that run in progress
 * @param rip the instruction's address
 * @param source where that instruction was written, or null when no instruction is there
 * @param text the instruction, or null
 * @param detail what happened, e.g. the fault kind and address
 */
public record RoutineStopped(Reason reason, String phase, long call, long rip,
    SourceLocation source, String text, String detail) implements RoutineResult {

  /** Why a run stopped. */
  public enum Reason {
    /** A {@code syscall}: {@code asm} mode has no kernel to serve it. */
    SYSCALL,
    /** A #PF, #GP, #UD or #DE (and a jump to where no instruction starts). */
    FAULT,
    /** The routine returned with RBX, R12 or RSP changed: the driver cannot go on. */
    CALLEE_SAVED_CLOBBERED,
    /** The instruction bound ran out: the routine did not return. */
    INSTRUCTION_LIMIT
  }

  /** One line for the user: what, where (file:line:col and the instruction), in which call. */
  public String message() {
    String where = source == null
        ? String.format(Locale.ROOT, "at %#x", rip)
        : String.format(Locale.ROOT, "at %#x (%s: %s)", rip, source, text);
    String head;
    switch (reason) {
      case SYSCALL:
        head = "the routine made a syscall";
        break;
      case FAULT:
        head = "fault";
        break;
      case CALLEE_SAVED_CLOBBERED:
        head = "the routine broke the SysV calling convention";
        break;
      default:
        head = "no return";
        break;
    }
    return String.format(Locale.ROOT, "%s %s in call %d of the %s run: %s", head, where, call,
        phase, detail);
  }
}
