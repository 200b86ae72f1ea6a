package org.vcpusim.cpu.exec;

/** What {@link Core#step()} and the run loops report. */
public enum CoreStatus {
  /** The instruction retired normally; RIP is at the next one. */
  RETIRED,
  /**
   * A {@code syscall} retired: RIP is past it, RCX holds that next RIP and R11 holds RFLAGS (as
   * the SYSCALL instruction does, Intel SDM vol. 2B). The kernel layer handles the call and resumes
   * the core.
   */
  SYSCALL,
  /**
   * The instruction at RIP raised an exception and had no architectural effect; RIP still points
   * at it. {@link Core#trap()} describes the exception.
   */
  FAULT,
  /**
   * RIP is in executable memory but no pre-decoded instruction starts there (a jump into the
   * middle of an instruction or into data placed in a text section). Real hardware would decode
   * whatever bytes are there; the simulator cannot, so it stops. {@link Core#trap()} describes it
   * as {@link Trap.Kind#INVALID_OPCODE} at RIP, which the kernel may deliver as SIGILL.
   */
  NO_INSTRUCTION,
  /** A run loop ended because {@link Core#requestStop()} was called during it. */
  STOPPED
}
