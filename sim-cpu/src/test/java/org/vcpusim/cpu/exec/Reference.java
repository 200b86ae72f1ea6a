package org.vcpusim.cpu.exec;

import java.math.BigInteger;

/**
 * An independent model of x86 integer arithmetic for property tests, written from the Intel SDM's
 * definitions with unbounded integers: a result is the exact mathematical value reduced modulo
 * 2^n, CF is "the unsigned result did not fit", OF is "the signed result did not fit", and shifts
 * run the SDM's one-bit-at-a-time pseudocode. It shares no code with the interpreter.
 */
final class Reference {
  /** Result value (n bits, zero-extended) and RFLAGS status bits. */
  record Result(long value, long flags) {}

  private static final long CF = 1;
  private static final long PF = 4;
  private static final long ZF = 64;
  private static final long SF = 128;
  private static final long OF = 2048;

  private Reference() {}

  static BigInteger pow2(int bits) {
    return BigInteger.ONE.shiftLeft(bits);
  }

  static BigInteger unsigned(long v, int bits) {
    return new BigInteger(Long.toUnsignedString(v)).mod(pow2(bits));
  }

  static BigInteger signed(long v, int bits) {
    BigInteger u = unsigned(v, bits);
    return u.testBit(bits - 1) ? u.subtract(pow2(bits)) : u;
  }

  static boolean fitsSigned(BigInteger x, int bits) {
    return x.compareTo(pow2(bits - 1).negate()) >= 0 && x.compareTo(pow2(bits - 1)) < 0;
  }

  static boolean fitsUnsigned(BigInteger x, int bits) {
    return x.signum() >= 0 && x.compareTo(pow2(bits)) < 0;
  }

  /** Flags SF, ZF, PF of an n-bit result, plus the given CF and OF. */
  static long flags(BigInteger result, int bits, boolean cf, boolean of) {
    long f = 0;
    if (cf) {
      f |= CF;
    }
    if (of) {
      f |= OF;
    }
    if (result.signum() == 0) {
      f |= ZF;
    }
    if (result.testBit(bits - 1)) {
      f |= SF;
    }
    if (result.and(BigInteger.valueOf(0xFF)).bitCount() % 2 == 0) {
      f |= PF;
    }
    return f;
  }

  static Result of(BigInteger result, int bits, boolean cf, boolean of) {
    BigInteger r = result.mod(pow2(bits));
    return new Result(r.longValue(), flags(r, bits, cf, of));
  }

  static Result add(long a, long b, boolean carryIn, int bits) {
    int c = carryIn ? 1 : 0;
    BigInteger u = unsigned(a, bits).add(unsigned(b, bits)).add(BigInteger.valueOf(c));
    BigInteger s = signed(a, bits).add(signed(b, bits)).add(BigInteger.valueOf(c));
    return of(u, bits, !fitsUnsigned(u, bits), !fitsSigned(s, bits));
  }

  static Result sub(long a, long b, boolean borrowIn, int bits) {
    int c = borrowIn ? 1 : 0;
    BigInteger u = unsigned(a, bits).subtract(unsigned(b, bits)).subtract(BigInteger.valueOf(c));
    BigInteger s = signed(a, bits).subtract(signed(b, bits)).subtract(BigInteger.valueOf(c));
    return of(u, bits, !fitsUnsigned(u, bits), !fitsSigned(s, bits));
  }

  static Result neg(long a, int bits) {
    BigInteger s = signed(a, bits).negate();
    return of(s, bits, unsigned(a, bits).signum() != 0, !fitsSigned(s, bits));
  }

  /** INC/DEC: CF is not affected, so it is an input here. */
  static Result incDec(long a, int delta, boolean oldCf, int bits) {
    BigInteger s = signed(a, bits).add(BigInteger.valueOf(delta));
    return of(s, bits, oldCf, !fitsSigned(s, bits));
  }

  static Result logic(char op, long a, long b, int bits) {
    BigInteger x = unsigned(a, bits);
    BigInteger y = unsigned(b, bits);
    BigInteger r = op == '&' ? x.and(y) : op == '|' ? x.or(y) : x.xor(y);
    return of(r, bits, false, false);
  }

  /**
   * SHL/SHR/SAR by the SDM pseudocode: mask the count, then shift one bit at a time, CF taking
   * each bit shifted out. OF: the count-1 rule of the SDM applied to the last one-bit step (the
   * simulator's documented choice for counts above 1): SHL: MSB(result) XOR CF; SHR: MSB of the
   * operand before the last step; SAR: 0. A zero count changes nothing ({@code oldFlags} kept).
   */
  static Result shift(String op, long a, long countRaw, long oldFlags, int bits) {
    int count = (int) (countRaw & (bits == 64 ? 63 : 31));
    BigInteger dest = unsigned(a, bits);
    if (count == 0) {
      return new Result(dest.longValue(), oldFlags);
    }
    boolean cf = false;
    BigInteger beforeLast = dest;
    for (int i = 0; i < count; i++) {
      beforeLast = dest;
      switch (op) {
        case "shl":
          cf = dest.testBit(bits - 1);
          dest = dest.shiftLeft(1).mod(pow2(bits));
          break;
        case "shr":
          cf = dest.testBit(0);
          dest = dest.shiftRight(1);
          break;
        default: // sar: signed divide by 2 rounding toward negative infinity
          cf = dest.testBit(0);
          BigInteger s = dest.testBit(bits - 1) ? dest.subtract(pow2(bits)) : dest;
          dest = s.shiftRight(1).mod(pow2(bits));
          break;
      }
    }
    boolean of;
    switch (op) {
      case "shl":
        of = dest.testBit(bits - 1) != cf;
        break;
      case "shr":
        of = beforeLast.testBit(bits - 1);
        break;
      default:
        of = false;
    }
    return new Result(dest.longValue(), flags(dest, bits, cf, of));
  }

  /**
   * ROL/ROR per the SDM pseudocode (count masked to 5 or 6 bits, then taken modulo the width for
   * 8- and 16-bit operands), rotating one bit at a time; only CF and OF change, OF by the count-1
   * formula on the result.
   */
  static Result rotate(String op, long a, long countRaw, long oldFlags, int bits) {
    int masked = (int) (countRaw & (bits == 64 ? 63 : 31));
    BigInteger dest = unsigned(a, bits);
    if (masked == 0) {
      return new Result(dest.longValue(), oldFlags);
    }
    int count = bits <= 16 ? masked % bits : masked;
    for (int i = 0; i < count; i++) {
      if (op.equals("rol")) {
        boolean top = dest.testBit(bits - 1);
        dest = dest.shiftLeft(1).mod(pow2(bits));
        if (top) {
          dest = dest.setBit(0);
        }
      } else {
        boolean low = dest.testBit(0);
        dest = dest.shiftRight(1);
        if (low) {
          dest = dest.setBit(bits - 1);
        }
      }
    }
    boolean cf;
    boolean of;
    if (op.equals("rol")) {
      cf = dest.testBit(0);
      of = dest.testBit(bits - 1) != cf;
    } else {
      cf = dest.testBit(bits - 1);
      of = dest.testBit(bits - 1) != dest.testBit(bits - 2);
    }
    long f = oldFlags & ~(CF | OF);
    if (cf) {
      f |= CF;
    }
    if (of) {
      f |= OF;
    }
    return new Result(dest.longValue(), f);
  }

  /**
   * Truncating signed multiply (two- and three-operand IMUL): CF = OF = the product does not fit;
   * SF, ZF, PF of the truncated result (the simulator's documented choice; the SDM leaves them
   * undefined).
   */
  static Result imul(long a, long b, int bits) {
    BigInteger p = signed(a, bits).multiply(signed(b, bits));
    boolean overflow = !fitsSigned(p, bits);
    return of(p, bits, overflow, overflow);
  }

  /** Full product for one-operand MUL/IMUL: {high, low} of the 2n-bit product. */
  static long[] widening(long a, long b, boolean signed, int bits) {
    BigInteger p = signed ? signed(a, bits).multiply(signed(b, bits))
        : unsigned(a, bits).multiply(unsigned(b, bits));
    BigInteger m = p.mod(pow2(2 * bits));
    return new long[] {m.shiftRight(bits).longValue(), m.mod(pow2(bits)).longValue()};
  }

  /**
   * DIV/IDIV of the 2n-bit value {@code high:low} by {@code divisor}: {quotient, remainder}, or
   * null when x86 raises #DE (zero divisor, or quotient outside the n-bit range).
   */
  static long[] divide(long high, long low, long divisor, boolean signed, int bits) {
    BigInteger dividend = unsigned(high, bits).shiftLeft(bits).or(unsigned(low, bits));
    BigInteger d;
    if (signed) {
      if (dividend.testBit(2 * bits - 1)) {
        dividend = dividend.subtract(pow2(2 * bits));
      }
      d = signed(divisor, bits);
    } else {
      d = unsigned(divisor, bits);
    }
    if (d.signum() == 0) {
      return null;
    }
    BigInteger[] qr = dividend.divideAndRemainder(d); // truncates toward zero, like x86
    if (signed ? !fitsSigned(qr[0], bits) : !fitsUnsigned(qr[0], bits)) {
      return null;
    }
    return new long[] {qr[0].mod(pow2(bits)).longValue(), qr[1].mod(pow2(bits)).longValue()};
  }
}
