package org.vcpusim.cpu.isa;

import java.util.Locale;

/**
 * The 16 x86 condition codes used by {@code jcc}, {@code setcc} and {@code cmovcc}, in their
 * hardware order (the low nibble of the opcode), with the flag test each one makes (Intel SDM vol.
 * 1, appendix B, "EFLAGS Condition Codes").
 */
public enum Condition {
  /** Overflow: OF = 1. */
  O("o"),
  /** No overflow: OF = 0. */
  NO("no"),
  /** Below / carry: CF = 1. Aliases c, nae. */
  B("b", "c", "nae"),
  /** Above or equal / no carry: CF = 0. Aliases nc, nb. */
  AE("ae", "nc", "nb"),
  /** Equal / zero: ZF = 1. Alias z. */
  E("e", "z"),
  /** Not equal / not zero: ZF = 0. Alias nz. */
  NE("ne", "nz"),
  /** Below or equal: CF = 1 or ZF = 1. Alias na. */
  BE("be", "na"),
  /** Above: CF = 0 and ZF = 0. Alias nbe. */
  A("a", "nbe"),
  /** Sign: SF = 1. */
  S("s"),
  /** No sign: SF = 0. */
  NS("ns"),
  /** Parity even: PF = 1. Alias pe. */
  P("p", "pe"),
  /** Parity odd: PF = 0. Alias po. */
  NP("np", "po"),
  /** Less: SF != OF. Alias nge. */
  L("l", "nge"),
  /** Greater or equal: SF = OF. Alias nl. */
  GE("ge", "nl"),
  /** Less or equal: ZF = 1 or SF != OF. Alias ng. */
  LE("le", "ng"),
  /** Greater: ZF = 0 and SF = OF. Alias nle. */
  G("g", "nle");

  private final String[] spellings;

  Condition(String... spellings) {
    this.spellings = spellings;
  }

  /** The canonical AT&amp;T suffix, e.g. {@code "ne"}. */
  public String suffix() {
    return spellings[0];
  }

  /** The hardware encoding (0..15), the low nibble of the Jcc/SETcc/CMOVcc opcode. */
  public int code() {
    return ordinal();
  }

  /** The condition spelled by an AT&amp;T mnemonic suffix (any alias, any case), or null. */
  public static Condition fromSuffix(String suffix) {
    String s = suffix.toLowerCase(Locale.ROOT);
    for (Condition c : values()) {
      for (String sp : c.spellings) {
        if (sp.equals(s)) {
          return c;
        }
      }
    }
    return null;
  }
}
