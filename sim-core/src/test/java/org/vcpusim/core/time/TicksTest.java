package org.vcpusim.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;

class TicksTest {

  @Test
  void wallClockUnitsConvertExactly() {
    assertEquals(1_000L, Ticks.fromNanos(1));
    assertEquals(2_500_000L, Ticks.fromMicros(2) + Ticks.fromNanos(500));
    assertEquals(4_000_000_000L, Ticks.fromMillis(4));
    assertEquals(1_000_000_000_000L, Ticks.fromSeconds(1));
    assertEquals(Ticks.PER_SECOND, Ticks.fromMillis(1_000));
    assertThrows(ArithmeticException.class, () -> Ticks.fromSeconds(9_300_000));
    assertThrows(IllegalArgumentException.class, () -> Ticks.fromNanos(-1));
  }

  @Test
  void toNanosRoundsDown() {
    assertEquals(0, Ticks.toNanos(999));
    assertEquals(1, Ticks.toNanos(1_000));
    assertEquals(1, Ticks.toNanos(1_999));
    assertEquals(1.999, Ticks.toNanosAsDouble(1_999));
    assertEquals(0.25, Ticks.toSecondsAsDouble(Ticks.fromMillis(250)));
  }

  @Test
  void cyclesAtWholeGigahertzAreExact() {
    assertEquals(1_000L, Ticks.fromCycles(1, 1_000_000_000L));
    assertEquals(500L, Ticks.fromCycles(1, 2_000_000_000L));
    assertEquals(4_000_000L, Ticks.fromCycles(8_000, 2_000_000_000L));
    assertEquals(8_000L, Ticks.toCycles(4_000_000L, 2_000_000_000L));
  }

  @Test
  void cyclesToTicksRoundsUpAndTicksToCyclesRoundsDown() {
    long hz = 3_000_000_000L; // 333.33 ps per cycle
    assertEquals(334L, Ticks.fromCycles(1, hz));
    assertEquals(667L, Ticks.fromCycles(2, hz));
    assertEquals(1_000L, Ticks.fromCycles(3, hz));
    assertEquals(0L, Ticks.toCycles(333, hz));
    assertEquals(1L, Ticks.toCycles(334, hz));
    assertEquals(2L, Ticks.toCycles(999, hz));
    assertEquals(3L, Ticks.toCycles(1_000, hz));
    // No drift: 3 billion cycles at 3 GHz are exactly one second.
    assertEquals(Ticks.PER_SECOND, Ticks.fromCycles(3_000_000_000L, hz));
  }

  @Test
  void megahertzVariantsMatchHertz() {
    assertEquals(Ticks.fromCycles(12_345, 2_400_000_000L), Ticks.fromCyclesAtMhz(12_345, 2_400));
    assertEquals(Ticks.toCycles(987_654_321L, 2_400_000_000L),
        Ticks.toCyclesAtMhz(987_654_321L, 2_400));
    assertEquals(417L, Ticks.fromCyclesAtMhz(1, 2_400)); // 416.67 ps rounded up
  }

  @Test
  void largeCountsUseExactWideArithmetic() {
    // 10^15 cycles at a prime frequency: cycles * 10^12 overflows 64 bits.
    long hz = 2_999_999_929L;
    long cycles = 1_000_000_000_000_000L;
    java.math.BigInteger exact = java.math.BigInteger.valueOf(cycles)
        .multiply(java.math.BigInteger.valueOf(Ticks.PER_SECOND))
        .add(java.math.BigInteger.valueOf(hz - 1))
        .divide(java.math.BigInteger.valueOf(hz));
    assertEquals(exact.longValueExact(), Ticks.fromCycles(cycles, hz));
    assertThrows(ArithmeticException.class, () -> Ticks.fromCycles(Long.MAX_VALUE, 1_000));
  }

  @Test
  void rejectsNonPositiveFrequencies() {
    assertThrows(IllegalArgumentException.class, () -> Ticks.fromCycles(1, 0));
    assertThrows(IllegalArgumentException.class, () -> Ticks.toCycles(1, -5));
    assertThrows(IllegalArgumentException.class, () -> Ticks.fromCyclesAtMhz(1, 0));
  }

  @Test
  void cyclesSurviveTheRoundTripAtAnyFrequencyUpToOneTerahertz() {
    qt().withExamples(1000)
        .forAll(longs().between(0, 1L << 40), longs().between(1, Ticks.PER_SECOND))
        .checkAssert((cycles, hz) -> {
          long ticks = Ticks.fromCycles(cycles, hz);
          assertEquals(cycles, Ticks.toCycles(ticks, hz));
          // Rounded up, by less than one tick: ticks - 1 < cycles * 10^12 / hz <= ticks.
          if (cycles > 0) {
            assertEquals(cycles - 1, Ticks.toCycles(ticks - 1, hz));
          }
        });
  }
}
