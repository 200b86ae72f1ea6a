package org.vcpusim.cpu.asm;

import java.util.Locale;
import java.util.regex.Pattern;
import org.vcpusim.cpu.isa.Registers;

/**
 * Parses AT&amp;T operands (gas manual, "i386-Syntax" and "i386-Memory"): {@code %reg}, {@code
 * $expr}, {@code [%seg:][disp][([%base][,%index[,scale]])]}, each optionally preceded by {@code
 * *}.
 *
 * <p>Only 64-bit address registers are accepted (no address-size prefix), the index cannot be
 * {@code %rsp}, and {@code %rip} can only be a base without index. Segment overrides {@code %fs}
 * and {@code %gs} carry a base; {@code %cs %ds %es %ss} are accepted and encoded (their base is 0
 * in 64-bit mode, Intel SDM vol. 1, 3.4.2.1).
 */
final class OperandParser {
  private static final Pattern BLANKS = Pattern.compile("\\s+");

  private OperandParser() {}

  static AsmOperand parse(Cursor c, ExprContext ctx, boolean allowPlt) {
    c.skipSpaces();
    int start = c.pos;
    boolean star = c.eat('*');
    c.skipSpaces();
    char ch = c.raw(0);
    if (ch == '$') {
      if (star) {
        throw c.error(start, "'*' cannot precede an immediate", "'*%reg' or '*mem'");
      }
      c.pos++;
      Expr e = new ExprParser(c, ctx, 0, false).parse();
      return AsmOperand.immediate(c.loc(start), text(c, start), e);
    }
    if (c.atEnd() || c.peek() == ',') {
      throw c.error(c.pos, "missing operand", "a register, $immediate or memory operand");
    }
    int segmentPrefix = 0;
    if (ch == '%') {
      int regPos = c.pos;
      String name = registerName(c);
      int[] r = Registers.lookup(name);
      c.skipSpaces();
      if (c.raw(0) == ':') {
        segmentPrefix = segmentPrefix(name);
        if (segmentPrefix == 0) {
          throw c.error(regPos, "'%" + name + "' is not a segment register",
              "%fs: or %gs: before a memory operand", "%" + name);
        }
        c.pos++;
      } else {
        if (r == null || r[0] == Registers.RIP) {
          throw unknownRegister(c, regPos, name);
        }
        return AsmOperand.register(c.loc(start), text(c, start), star, r[0], r[1], r[2] == 1);
      }
    }
    // Memory: [disp][(base, index, scale)]
    c.skipSpaces();
    Expr disp = null;
    if (!(c.raw(0) == '(' && startsBaseIndex(c))) {
      if (c.atEnd() || c.peek() == ',') {
        throw c.error(c.pos, "missing memory operand after segment override",
            "a displacement or (base)");
      }
      disp = new ExprParser(c, ctx, 0, allowPlt).parse();
    }
    int base = Registers.NONE;
    int index = Registers.NONE;
    int scale = 1;
    c.skipSpaces();
    if (c.raw(0) == '(') {
      c.pos++;
      c.skipSpaces();
      if (c.raw(0) == '%') {
        int p = c.pos;
        String name = registerName(c);
        int[] r = Registers.lookup(name);
        if (r == null) {
          throw unknownRegister(c, p, name);
        }
        if (r[1] != 8) {
          throw c.error(p, "'%" + name + "' cannot be a base register",
              "a 64-bit register or %rip (address-size overrides are not supported)", "%" + name);
        }
        base = r[0];
      }
      if (c.eat(',')) {
        c.skipSpaces();
        if (c.raw(0) == ')') {
          throw c.error(c.pos, "missing index register or scale factor after ','",
              "(base,index) or (base,index,scale)");
        }
        if (c.raw(0) == '%') {
          int p = c.pos;
          String name = registerName(c);
          int[] r = Registers.lookup(name);
          if (r == null) {
            throw unknownRegister(c, p, name);
          }
          if (r[1] != 8 || r[0] == Registers.RSP || r[0] == Registers.RIP) {
            throw c.error(p, "'%" + name + "' cannot be an index register",
                "a 64-bit register other than %rsp and %rip", "%" + name);
          }
          if (base == Registers.RIP) {
            throw c.error(p, "a %rip-relative operand cannot have an index",
                "'sym(%rip)' alone", "%" + name);
          }
          index = r[0];
        }
        if (c.eat(',')) {
          c.skipSpaces();
          int p = c.pos;
          if (index == Registers.NONE) {
            throw c.error(p, "scale factor without an index register", "(base,index,scale)");
          }
          Fold f = new ExprParser(c, ctx, 0, false).parse().fold();
          if (!f.isConst() || (f.value != 1 && f.value != 2 && f.value != 4 && f.value != 8)) {
            throw c.error(p, "invalid scale factor", "1, 2, 4 or 8");
          }
          scale = (int) f.value;
        }
      }
      c.skipSpaces();
      if (c.raw(0) != ')') {
        throw c.error(c.pos, "unexpected " + c.describeNext() + " in memory operand", "')'");
      }
      c.pos++;
      if (base == Registers.NONE && index == Registers.NONE) {
        throw c.error(start, "empty base/index in memory operand", "(%reg) or (,%reg,scale)");
      }
    }
    return AsmOperand.memory(c.loc(start), text(c, start), star, segmentPrefix, disp, base, index,
        scale);
  }

  /** After '(' : true when a base/index part follows rather than a parenthesized expression. */
  private static boolean startsBaseIndex(Cursor c) {
    int p = c.pos + 1;
    while (p < c.text.length() && Cursor.isSpace(c.text.charAt(p))) {
      p++;
    }
    return p < c.text.length() && (c.text.charAt(p) == '%' || c.text.charAt(p) == ',');
  }

  private static String registerName(Cursor c) {
    c.pos++; // '%'
    int s = c.pos;
    while (c.pos < c.text.length() && Character.isLetterOrDigit(c.text.charAt(c.pos))) {
      c.pos++;
    }
    return c.text.substring(s, c.pos).toLowerCase(Locale.ROOT);
  }

  private static int segmentPrefix(String name) {
    switch (name) {
      case "fs":
        return 0x64;
      case "gs":
        return 0x65;
      case "cs":
        return 0x2e;
      case "ds":
        return 0x3e;
      case "es":
        return 0x26;
      case "ss":
        return 0x36;
      default:
        return 0;
    }
  }

  private static AsmException unknownRegister(Cursor c, int p, String name) {
    String what = name.isEmpty() ? "missing register name after '%'"
        : segmentPrefix(name) != 0 ? "segment register '%" + name + "' used as an operand"
        : "unknown or unsupported register '%" + name + "'";
    return c.error(p, what, "a general-purpose register such as %rax, %r8d, %cx or %al",
        "%" + name);
  }

  private static String text(Cursor c, int start) {
    return BLANKS.matcher(c.text.substring(start, c.pos).trim()).replaceAll(" ");
  }
}
