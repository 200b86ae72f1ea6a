package org.vcpusim.cpu.exec;

/**
 * Bit positions of RFLAGS (Intel SDM vol. 1, 3.4.3 "EFLAGS Register"). The simulator models the
 * status flags CF, PF, ZF, SF and OF exactly; AF is not computed by arithmetic (it reads as 0 after
 * any flag-writing instruction; a value set with {@link ThreadContext#setRflags} is kept until
 * then). Bit 1 (always 1) and IF (user code always runs with interrupts enabled) are reported set;
 * other system flags are not modelled.
 */
public final class Rflags {
  public static final long CF = 1L;
  /** Reserved, always 1. */
  public static final long RESERVED_1 = 1L << 1;
  public static final long PF = 1L << 2;
  public static final long AF = 1L << 4;
  public static final long ZF = 1L << 6;
  public static final long SF = 1L << 7;
  /** Interrupt enable: always reported set for user code. */
  public static final long IF = 1L << 9;
  public static final long OF = 1L << 11;

  /** The arithmetic status flags this simulator keeps. */
  public static final long STATUS = CF | PF | AF | ZF | SF | OF;
  /** Bits always set in a value read with {@link ThreadContext#rflags()}. */
  public static final long FIXED = RESERVED_1 | IF;

  private Rflags() {}

  /** A readable form such as {@code "CF ZF"} or {@code "-"}. */
  public static String describe(long rflags) {
    StringBuilder sb = new StringBuilder();
    append(sb, rflags, CF, "CF");
    append(sb, rflags, PF, "PF");
    append(sb, rflags, AF, "AF");
    append(sb, rflags, ZF, "ZF");
    append(sb, rflags, SF, "SF");
    append(sb, rflags, OF, "OF");
    return sb.length() == 0 ? "-" : sb.toString();
  }

  private static void append(StringBuilder sb, long rflags, long bit, String name) {
    if ((rflags & bit) != 0) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(name);
    }
  }
}
