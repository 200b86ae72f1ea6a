package org.vcpusim.cpu.exec;

import java.util.Locale;
import org.vcpusim.cpu.isa.Registers;

/**
 * The user-visible register state of one simulated thread: the 16 general-purpose registers, RIP,
 * RFLAGS and the FS and GS bases (Intel SDM vol. 1, 3.4). The kernel layer owns one per task and
 * context-switches by attaching another one to a {@link Core}, or by {@link #copyFrom} into a
 * saved copy.
 *
 * <p><b>Representation.</b> Registers live in a {@code long[]} (index = {@link Registers} number)
 * with one extra always-zero slot that the interpreter uses as the "no register" base or index of
 * a memory operand. The segment bases live in a 3-entry array indexed by segment ({@code NONE}=0,
 * which is always 0, {@code FS}=1, {@code GS}=2) so address generation adds a base without a
 * branch. RFLAGS is kept lazily (see {@link FlagLogic}) and materialized by {@link #rflags()}.
 *
 * <p><b>Caveats:</b> not thread-safe. Attach a context to at most one core at a time.
 */
public final class ThreadContext {
  /** Interpreter slot that always holds 0 (absent base or index register). */
  static final int ZERO_SLOT = Registers.COUNT;
  static final int SEG_FS = 1;
  static final int SEG_GS = 2;

  final long[] r = new long[Registers.COUNT + 1];
  final long[] segBase = new long[3];
  long rip;

  // Lazy flags: see FlagLogic. Initially materialized, all status flags clear.
  int ccOp;
  long ccA;
  long ccB;
  long ccRes;

  /** A context with every register, RIP, RFLAGS status bits and both bases zero. */
  public ThreadContext() {}

  /** The 64-bit value of general-purpose register {@code reg} (0..15). */
  public long get(int reg) {
    return r[checkReg(reg)];
  }

  /** Sets the full 64-bit value of register {@code reg} (0..15). */
  public void set(int reg, long value) {
    r[checkReg(reg)] = value;
  }

  private static int checkReg(int reg) {
    if (reg < 0 || reg >= Registers.COUNT) {
      throw new IllegalArgumentException("register " + reg);
    }
    return reg;
  }

  /** The address of the next instruction to execute. */
  public long rip() {
    return rip;
  }

  /** Redirects execution (signal delivery, rseq abort, return from a syscall). */
  public void setRip(long value) {
    rip = value;
  }

  public long fsBase() {
    return segBase[SEG_FS];
  }

  public void setFsBase(long value) {
    segBase[SEG_FS] = value;
  }

  public long gsBase() {
    return segBase[SEG_GS];
  }

  public void setGsBase(long value) {
    segBase[SEG_GS] = value;
  }

  /**
   * RFLAGS as hardware would push it: the status flags ({@link Rflags#STATUS}) plus the bits
   * always set for user code ({@link Rflags#FIXED}).
   */
  public long rflags() {
    return FlagLogic.materialize(ccOp, ccA, ccB, ccRes) | Rflags.FIXED;
  }

  /** Sets the status flags from an RFLAGS value; other bits are ignored. */
  public void setRflags(long value) {
    ccOp = FlagLogic.MATERIALIZED;
    ccRes = value & Rflags.STATUS;
    ccA = 0;
    ccB = 0;
  }

  /** True when every bit of {@code mask} (see {@link Rflags}) is set in {@link #rflags()}. */
  public boolean flags(long mask) {
    return (rflags() & mask) == mask;
  }

  /** Makes this context an exact copy of {@code other} (registers, RIP, flags, bases). */
  public void copyFrom(ThreadContext other) {
    System.arraycopy(other.r, 0, r, 0, r.length);
    System.arraycopy(other.segBase, 0, segBase, 0, segBase.length);
    rip = other.rip;
    ccOp = other.ccOp;
    ccA = other.ccA;
    ccB = other.ccB;
    ccRes = other.ccRes;
  }

  /** A new context equal to this one (a saved copy, or a forked child's registers). */
  public ThreadContext copy() {
    ThreadContext c = new ThreadContext();
    c.copyFrom(this);
    return c;
  }

  /** Field-by-field equality of the architectural state (flags compared materialized). */
  public boolean sameStateAs(ThreadContext other) {
    for (int i = 0; i < Registers.COUNT; i++) {
      if (r[i] != other.r[i]) {
        return false;
      }
    }
    return rip == other.rip
        && segBase[SEG_FS] == other.segBase[SEG_FS]
        && segBase[SEG_GS] == other.segBase[SEG_GS]
        && rflags() == other.rflags();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "rip=%#x rflags=%#x [%s] fs=%#x gs=%#x", rip, rflags(),
        Rflags.describe(rflags()), fsBase(), gsBase()));
    for (int i = 0; i < Registers.COUNT; i++) {
      sb.append(String.format(Locale.ROOT, " %s=%#x", Registers.name64(i), r[i]));
    }
    return sb.toString();
  }
}
