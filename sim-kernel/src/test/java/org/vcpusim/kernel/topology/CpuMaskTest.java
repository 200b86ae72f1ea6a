package org.vcpusim.kernel.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class CpuMaskTest {
  private static final Gen<List<Integer>> CPU_LISTS =
      lists().of(integers().between(0, CpuMask.MAX_CPUS - 1)).ofSizeBetween(0, 40);

  private static CpuMask mask(List<Integer> cpus) {
    return CpuMask.of(cpus.stream().mapToInt(Integer::intValue).toArray());
  }

  private static BitSet bits(List<Integer> cpus) {
    BitSet b = new BitSet();
    cpus.forEach(b::set);
    return b;
  }

  @Test
  void parsesTheKernelCpulistFormat() {
    assertArrayEquals(new int[] {0, 1, 2, 3, 8}, CpuMask.parse("0-3,8").toArray());
    assertArrayEquals(new int[] {0, 1, 4, 5}, CpuMask.parse("0-7:2/4").toArray());
    assertArrayEquals(new int[] {1023}, CpuMask.parse(" 1023 ").toArray());
    assertTrue(CpuMask.parse("").isEmpty());
    assertTrue(CpuMask.parse("  ").isEmpty());
    assertEquals(CpuMask.of(5, 6, 7), CpuMask.parse("5-7"));
  }

  @Test
  void printsRunsAsRanges() {
    assertEquals("0-3,8", CpuMask.of(8, 2, 0, 1, 3).toString());
    assertEquals("1,3,5-6", CpuMask.parse("1,3,5,6").toString());
    assertEquals("", CpuMask.empty().toString());
    assertEquals("0-1023", CpuMask.first(CpuMask.MAX_CPUS).toString());
  }

  @Test
  void rejectsMalformedListsNamingTheColumn() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CpuMask.parse("0-3,x"));
    assertTrue(e.getMessage().contains("column 5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CpuMask.parse("  4-2"));
    assertTrue(e.getMessage().contains("below start"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CpuMask.parse("1024"));
    assertTrue(e.getMessage().contains("at or above 1024"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CpuMask.parse("0-7:3/2"));
    assertThrows(IllegalArgumentException.class, () -> CpuMask.parse("0-7:1"));
    assertThrows(IllegalArgumentException.class, () -> CpuMask.parse("1,,2"));
    assertThrows(IllegalArgumentException.class, () -> CpuMask.of(-1));
  }

  @Test
  void formatAndParseRoundTrip() {
    qt().forAll(CPU_LISTS)
        .checkAssert(
            cpus -> {
              CpuMask m = mask(cpus);
              assertEquals(m, CpuMask.parse(m.toString()));
            });
  }

  @Test
  void setOperationsAgreeWithBitSet() {
    qt().forAll(CPU_LISTS, CPU_LISTS)
        .checkAssert(
            (a, b) -> {
              CpuMask ma = mask(a);
              CpuMask mb = mask(b);
              BitSet and = bits(a);
              and.and(bits(b));
              BitSet or = bits(a);
              or.or(bits(b));
              BitSet andNot = bits(a);
              andNot.andNot(bits(b));
              assertArrayEquals(and.stream().toArray(), ma.and(mb).toArray());
              assertArrayEquals(or.stream().toArray(), ma.or(mb).toArray());
              assertArrayEquals(andNot.stream().toArray(), ma.andNot(mb).toArray());
              assertEquals(bits(a).intersects(bits(b)), ma.intersects(mb));
              assertEquals(andNot.isEmpty(), ma.isSubsetOf(mb));
              assertEquals(bits(a).cardinality(), ma.weight());
              assertEquals(bits(a).length() - 1, ma.last());
            });
  }

  @Test
  void wrappingIterationStartsAtTheGivenCpu() {
    CpuMask m = CpuMask.of(1, 4, 6, 9);
    assertArrayEquals(new int[] {6, 9, 1, 4}, m.streamWrapFrom(5).toArray());
    assertArrayEquals(new int[] {4, 6, 9, 1}, m.streamWrapFrom(4).toArray());
    assertArrayEquals(new int[] {1, 4, 6, 9}, m.streamWrapFrom(10).toArray());
    assertEquals(1, m.nextSetBitWrap(10));
    assertEquals(6, m.nextSetBitWrap(5));
    assertEquals(-1, CpuMask.empty().nextSetBitWrap(3));
  }

  @Test
  void wrappingIterationVisitsEveryCpuOnce() {
    qt().forAll(CPU_LISTS, integers().between(0, CpuMask.MAX_CPUS))
        .checkAssert(
            (cpus, start) -> {
              CpuMask m = mask(cpus);
              int[] wrapped = m.streamWrapFrom(start).toArray();
              assertEquals(m.weight(), wrapped.length);
              assertEquals(m, CpuMask.of(wrapped));
              if (wrapped.length > 0) {
                assertEquals(m.nextSetBitWrap(start), wrapped[0]);
              }
            });
  }

  @Test
  void singleCpuEditsLeaveTheOriginalUnchanged() {
    CpuMask m = CpuMask.of(3);
    CpuMask more = m.with(700);
    assertEquals(CpuMask.of(3, 700), more);
    assertEquals(CpuMask.of(3), m);
    assertEquals(CpuMask.of(700), more.without(3));
    assertTrue(more.contains(700));
    assertFalse(more.contains(701));
    assertFalse(more.contains(-1));
    assertFalse(more.contains(CpuMask.MAX_CPUS));
    assertEquals(CpuMask.of(0, 2), CpuMask.ofBits(0b101));
    assertEquals(CpuMask.range(2, 4), CpuMask.of(2, 3, 4));
    assertTrue(CpuMask.range(4, 2).isEmpty());
    assertEquals(CpuMask.of(0, 2).hashCode(), CpuMask.ofBits(5).hashCode());
  }
}
