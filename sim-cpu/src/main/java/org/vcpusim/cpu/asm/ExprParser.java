package org.vcpusim.cpu.asm;

import java.math.BigInteger;
import java.util.Locale;

/**
 * Parses a GNU as expression at a {@link Cursor}: numbers (decimal, {@code 0x} hex, {@code 0b}
 * binary, leading-zero octal, {@code 'c} characters), symbols, numeric local label references
 * ({@code 1f}, {@code 1b}), {@code .}, parentheses, unary {@code - + ~ !} and the binary operators
 * of {@link Expr.Op} with gas precedence (gas manual, "Expressions").
 *
 * <p>The parser stops at the first character that cannot continue the expression, such as the
 * {@code (} of a base register or a {@code ,}.
 */
final class ExprParser {
  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

  private final Cursor c;
  private final ExprContext ctx;
  private final long dotDelta;
  private final boolean allowPlt;

  /**
   * @param dotDelta bytes the location counter has advanced within the current statement
   * @param allowPlt accept {@code sym@PLT} (a direct call or jump; a static image resolves it to
   *     {@code sym})
   */
  ExprParser(Cursor c, ExprContext ctx, long dotDelta, boolean allowPlt) {
    this.c = c;
    this.ctx = ctx;
    this.dotDelta = dotDelta;
    this.allowPlt = allowPlt;
  }

  /** Parses one expression; its source text is recorded for messages. */
  Expr parse() {
    c.skipSpaces();
    int start = c.pos;
    if (c.atEnd() || c.peek() == ',') {
      throw c.error(c.pos, "missing expression", "an expression");
    }
    Expr e = binary(1);
    e.text = c.text.substring(start, c.pos).trim();
    return e;
  }

  private Expr binary(int minPrecedence) {
    Expr left = unary();
    while (true) {
      c.skipSpaces();
      int opPos = c.pos;
      Expr.Op op = peekOperator();
      if (op == null || op.precedence < minPrecedence) {
        return left;
      }
      c.pos += op.symbol.length();
      Expr right = binary(op.precedence + 1);
      left = new Expr.Binary(c.loc(opPos), op, left, right);
    }
  }

  private Expr.Op peekOperator() {
    char a = c.raw(0);
    char b = c.raw(1);
    switch (a) {
      case '*':
        return Expr.Op.MUL;
      case '/':
        return Expr.Op.DIV;
      case '%':
        // '%' followed by a letter is a register (the end of the expression), not modulo.
        return Cursor.isIdentStart(b) ? null : Expr.Op.MOD;
      case '<':
        return b == '<' ? Expr.Op.SHL : b == '=' ? Expr.Op.LE : b == '>' ? Expr.Op.NE : Expr.Op.LT; // '<>' is '!='
      case '>':
        return b == '>' ? Expr.Op.SHR : b == '=' ? Expr.Op.GE : Expr.Op.GT;
      case '&':
        return b == '&' ? Expr.Op.LAND : Expr.Op.AND;
      case '|':
        return b == '|' ? Expr.Op.LOR : Expr.Op.OR;
      case '^':
        return Expr.Op.XOR;
      case '+':
        return Expr.Op.ADD;
      case '-':
        return Expr.Op.SUB;
      case '=':
        return b == '=' ? Expr.Op.EQ : null;
      case '!':
        return b == '=' ? Expr.Op.NE : null;
      default:
        return null;
    }
  }

  private Expr unary() {
    c.skipSpaces();
    int p = c.pos;
    char ch = c.raw(0);
    if (ch == '-' || ch == '+' || ch == '~' || (ch == '!' && c.raw(1) != '=')) {
      c.pos++;
      return new Expr.Unary(c.loc(p), ch, unary());
    }
    return primary();
  }

  private Expr primary() {
    c.skipSpaces();
    int p = c.pos;
    char ch = c.raw(0);
    if (ch == '(') {
      c.pos++;
      Expr e = binary(1);
      c.skipSpaces();
      if (c.raw(0) != ')') {
        throw c.error(c.pos, "unbalanced parenthesis", "')'");
      }
      c.pos++;
      return e;
    }
    if (Cursor.isDigit(ch)) {
      return number();
    }
    if (ch == '\'') {
      return character();
    }
    if (Cursor.isIdentStart(ch)) {
      String name = c.identifier();
      if (name.equals(".")) {
        return ctx.dot(c.loc(p), dotDelta);
      }
      if (c.raw(0) == '@') {
        int at = c.pos;
        c.pos++;
        String op = Cursor.isIdentStart(c.raw(0)) ? c.identifier() : "";
        if (!(allowPlt && op.toLowerCase(Locale.ROOT).equals("plt"))) {
          throw c.error(at, "relocation operator '@" + op + "' is not supported in a static image",
              "a plain symbol", name + "@" + op);
        }
      }
      return ctx.reference(name, c.loc(p));
    }
    if (ch == '%') {
      throw c.error(p, "a register cannot be used in an expression", "a number or a symbol");
    }
    if (ch == '$') {
      throw c.error(p, "unexpected '$' inside an expression", "a number or a symbol");
    }
    throw c.error(p, "missing expression before " + c.describeNext(), "a number or a symbol");
  }

  private Expr number() {
    int p = c.pos;
    String t = c.text;
    int i = p;
    int radix = 10;
    int digitsStart;
    if (t.charAt(i) == '0'
        && i + 1 < t.length()
        && (t.charAt(i + 1) == 'x' || t.charAt(i + 1) == 'X')) {
      radix = 16;
      i += 2;
    } else if (t.charAt(i) == '0'
        && i + 2 < t.length()
        && (t.charAt(i + 1) == 'b' || t.charAt(i + 1) == 'B')
        && (t.charAt(i + 2) == '0' || t.charAt(i + 2) == '1')) {
      // "0b" followed by a binary digit is a binary number; "0b" alone is local label 0, backward.
      radix = 2;
      i += 2;
    }
    digitsStart = i;
    while (i < t.length() && asciiDigit(t.charAt(i), radix) >= 0) {
      i++;
    }
    if (radix == 10 && i < t.length() && (t.charAt(i) == 'f' || t.charAt(i) == 'b')
        && (i + 1 >= t.length() || !Cursor.isIdentPart(t.charAt(i + 1)))) {
      String digits = t.substring(p, i);
      boolean forward = t.charAt(i) == 'f';
      c.pos = i + 1;
      long n = parse(digits, 10, p);
      return ctx.localReference(n, forward, c.loc(p), t.substring(p, i + 1));
    }
    if (i == digitsStart || (i < t.length() && Cursor.isIdentPart(t.charAt(i)))) {
      int e = i;
      while (e < t.length() && Cursor.isIdentPart(t.charAt(e))) {
        e++;
      }
      throw c.error(p, "invalid number '" + t.substring(p, e) + "'",
          "a decimal, 0x hex, 0b binary or 0 octal number", t.substring(p, e));
    }
    String digits = t.substring(digitsStart, i);
    if (radix == 10 && digits.length() > 1 && digits.charAt(0) == '0') {
      radix = 8;
      for (int k = 0; k < digits.length(); k++) {
        if (digits.charAt(k) > '7') {
          throw c.error(p, "invalid octal number '" + digits + "'", "octal digits 0-7", digits);
        }
      }
    }
    c.pos = i;
    return new Expr.Num(c.loc(p), parse(digits, radix, p));
  }

  private static int asciiDigit(char ch, int radix) {
    int d;
    if (ch >= '0' && ch <= '9') {
      d = ch - '0';
    } else if (ch >= 'a' && ch <= 'f') {
      d = ch - 'a' + 10;
    } else if (ch >= 'A' && ch <= 'F') {
      d = ch - 'A' + 10;
    } else {
      return -1;
    }
    return d < radix ? d : -1;
  }

  private long parse(String digits, int radix, int p) {
    BigInteger v = new BigInteger(digits, radix);
    if (v.compareTo(TWO_TO_64) >= 0) {
      throw c.error(p, "number too large for 64 bits", "a value below 2^64");
    }
    return v.longValue();
  }

  private Expr character() {
    int p = c.pos;
    c.pos++;
    char ch = c.raw(0);
    if (ch == '\0') {
      throw c.error(p, "missing character after \"'\"", "a character constant like 'a");
    }
    c.pos++;
    long v = ch;
    if (ch == '\\') {
      char e = c.raw(0);
      c.pos++;
      switch (e) {
        case 'n':
          v = '\n';
          break;
        case 't':
          v = '\t';
          break;
        case 'r':
          v = '\r';
          break;
        case '0':
          v = 0;
          break;
        case '\\':
        case '\'':
        case '"':
          v = e;
          break;
        default:
          throw c.error(p, "unknown escape in character constant", "\\n \\t \\r \\0 \\\\ or \\'");
      }
    }
    if (c.raw(0) == '\'') {
      c.pos++;
    }
    return new Expr.Num(c.loc(p), v);
  }
}
