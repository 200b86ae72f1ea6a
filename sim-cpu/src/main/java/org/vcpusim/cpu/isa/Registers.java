package org.vcpusim.cpu.isa;

import java.util.Locale;

/**
 * The 16 general-purpose registers of x86-64, numbered as the hardware encodes them (ModRM/REX
 * order), plus the pseudo-register {@link #RIP} used only as a memory base.
 *
 * <p>Register operands are always an index here plus a view size (1, 2, 4 or 8 bytes) and, for the
 * four legacy high-byte registers {@code %ah %ch %dh %bh}, a high-byte flag (see {@link Operand}).
 * Semantics of partial writes (Intel SDM vol. 1, 3.4.1.1): a 32-bit write zeroes bits 63..32, an
 * 8- or 16-bit write leaves the other bits unchanged.
 */
public final class Registers {
  public static final int RAX = 0;
  public static final int RCX = 1;
  public static final int RDX = 2;
  public static final int RBX = 3;
  public static final int RSP = 4;
  public static final int RBP = 5;
  public static final int RSI = 6;
  public static final int RDI = 7;
  public static final int R8 = 8;
  public static final int R9 = 9;
  public static final int R10 = 10;
  public static final int R11 = 11;
  public static final int R12 = 12;
  public static final int R13 = 13;
  public static final int R14 = 14;
  public static final int R15 = 15;

  /** Number of general-purpose registers. */
  public static final int COUNT = 16;

  /** Pseudo-register: a memory operand based on the address of the next instruction. */
  public static final int RIP = 16;

  /** No register (absent base or index of a memory operand). */
  public static final int NONE = -1;

  private static final String[] NAMES64 = {
    "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
    "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"
  };
  private static final String[] NAMES32 = {
    "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"
  };
  private static final String[] NAMES16 = {
    "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
    "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"
  };
  private static final String[] NAMES8 = {
    "al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
    "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"
  };
  private static final String[] NAMES8_HIGH = {"ah", "ch", "dh", "bh"};

  private Registers() {}

  /**
   * The AT&amp;T name (without {@code %}) of a register view.
   *
   * @param reg 0..15, or {@link #RIP}
   * @param size 1, 2, 4 or 8 bytes
   * @param highByte true for {@code %ah %ch %dh %bh} (reg 0..3, size 1)
   */
  public static String name(int reg, int size, boolean highByte) {
    if (reg == RIP) {
      return "rip";
    }
    if (highByte) {
      return NAMES8_HIGH[reg];
    }
    switch (size) {
      case 8:
        return NAMES64[reg];
      case 4:
        return NAMES32[reg];
      case 2:
        return NAMES16[reg];
      case 1:
        return NAMES8[reg];
      default:
        throw new IllegalArgumentException("register size " + size);
    }
  }

  /** The 64-bit name of a register index, e.g. {@code "r10"}. */
  public static String name64(int reg) {
    return name(reg, 8, false);
  }

  /**
   * Looks up an AT&amp;T register name (without {@code %}, any case).
   *
   * @return {@code {reg, size, highByte ? 1 : 0}}, or null when the name is not a general-purpose
   *     register ({@code rip} gives {@code {RIP, 8, 0}})
   */
  public static int[] lookup(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("rip")) {
      return new int[] {RIP, 8, 0};
    }
    for (int r = 0; r < COUNT; r++) {
      if (NAMES64[r].equals(n)) {
        return new int[] {r, 8, 0};
      }
      if (NAMES32[r].equals(n)) {
        return new int[] {r, 4, 0};
      }
      if (NAMES16[r].equals(n)) {
        return new int[] {r, 2, 0};
      }
      if (NAMES8[r].equals(n)) {
        return new int[] {r, 1, 0};
      }
    }
    for (int r = 0; r < NAMES8_HIGH.length; r++) {
      if (NAMES8_HIGH[r].equals(n)) {
        return new int[] {r, 1, 1};
      }
    }
    return null;
  }
}
