package org.vcpusim.scenarios.asm;

import java.util.Locale;

/** Number spellings the {@code asm} command accepts: decimal, or hexadecimal after {@code 0x}. */
final class Numbers {
  private Numbers() {}

  /** True when {@code text} starts like a number (a digit), not like a symbol. */
  static boolean looksNumeric(String text) {
    return !text.isEmpty() && text.charAt(0) >= '0' && text.charAt(0) <= '9';
  }

  /**
   * Parses a non-negative decimal or {@code 0x} hexadecimal number.
   *
   * @throws NumberFormatException when it is neither
   */
  static long parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("0x")) {
      return Long.parseUnsignedLong(t.substring(2), 16);
    }
    long v = Long.parseLong(t);
    if (v < 0) {
      throw new NumberFormatException("negative: " + text);
    }
    return v;
  }

  /** {@code 0x}-prefixed lower-case hexadecimal. */
  static String hex(long v) {
    return "0x" + Long.toHexString(v);
  }
}
