package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The 128/64 division and the unsigned high product against BigInteger. */
class AluTest {
  private static BigInteger u(long v) {
    return new BigInteger(Long.toUnsignedString(v));
  }

  @Test
  void divideUnsigned128MatchesBigInteger() {
    qt().withFixedSeed(3).withExamples(5000)
        .forAll(longs().all(), longs().all(), longs().all())
        .checkAssert((hiRaw, lo, divisorRaw) -> {
          long divisor = divisorRaw == 0 ? 1 : divisorRaw;
          // Keep hi below the divisor (the caller's #DE check), with varied magnitudes.
          long hi = Long.remainderUnsigned(hiRaw, divisor) >>> (int) (lo & 31);
          BigInteger dividend = u(hi).shiftLeft(64).or(u(lo));
          BigInteger[] qr = dividend.divideAndRemainder(u(divisor));
          long q = Alu.divideUnsigned128(hi, lo, divisor);
          assertEquals(qr[0].longValue(), q);
          assertEquals(qr[1].longValue(), lo - q * divisor);
        });
  }

  @Test
  void divideUnsigned128Edges() {
    assertEquals(-1L, Alu.divideUnsigned128(0xFFFF_FFFF_FFFF_FFFEL, -1L, -1L));
    assertEquals(Long.MIN_VALUE, Alu.divideUnsigned128(1, 0, 2));
    assertEquals(0x1_0000_0000L, Alu.divideUnsigned128(1, 0, 1L << 32));
    assertEquals(0, Alu.divideUnsigned128(0, 5, 7));
  }

  @Test
  void unsignedMultiplyHighMatchesBigInteger() {
    qt().withFixedSeed(4).withExamples(2000).forAll(longs().all(), longs().all())
        .checkAssert((a, b) -> assertEquals(u(a).multiply(u(b)).shiftRight(64).longValue(),
            Alu.unsignedMultiplyHigh(a, b)));
  }
}
