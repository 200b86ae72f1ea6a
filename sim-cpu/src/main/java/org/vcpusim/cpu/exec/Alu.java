package org.vcpusim.cpu.exec;

/**
 * Wide integer arithmetic the Java 17 library lacks, without allocation: the high half of an
 * unsigned 64x64 product and the unsigned 128/64 division that {@code div}/{@code idiv} with 64-bit
 * operands perform. Stateless.
 */
final class Alu {
  private Alu() {}

  /** High 64 bits of the unsigned 128-bit product {@code a * b}. */
  static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  /**
   * Quotient of the unsigned 128-bit value {@code hi:lo} by {@code divisor}; the remainder is
   * {@code lo - quotient * divisor}. Knuth's algorithm D with 32-bit digits as given in Hacker's
   * Delight (2nd ed.), figure 9-3 ({@code divlu}).
   *
   * @param hi must be unsigned-less than {@code divisor}, so that the quotient fits in 64 bits
   *     (the caller raises #DE otherwise)
   */
  static long divideUnsigned128(long hi, long lo, long divisor) {
    final long b = 1L << 32;
    int s = Long.numberOfLeadingZeros(divisor);
    long v = divisor << s;
    long vn1 = v >>> 32;
    long vn0 = v & 0xFFFFFFFFL;
    long un32 = (hi << s) | (s == 0 ? 0 : lo >>> (64 - s));
    long un10 = lo << s;
    long un1 = un10 >>> 32;
    long un0 = un10 & 0xFFFFFFFFL;

    long q1 = Long.divideUnsigned(un32, vn1);
    long rhat = un32 - q1 * vn1;
    while (Long.compareUnsigned(q1, b) >= 0
        || Long.compareUnsigned(q1 * vn0, b * rhat + un1) > 0) {
      q1--;
      rhat += vn1;
      if (Long.compareUnsigned(rhat, b) >= 0) {
        break;
      }
    }
    long un21 = un32 * b + un1 - q1 * v;
    long q0 = Long.divideUnsigned(un21, vn1);
    rhat = un21 - q0 * vn1;
    while (Long.compareUnsigned(q0, b) >= 0
        || Long.compareUnsigned(q0 * vn0, b * rhat + un0) > 0) {
      q0--;
      rhat += vn1;
      if (Long.compareUnsigned(rhat, b) >= 0) {
        break;
      }
    }
    return q1 * b + q0;
  }
}
