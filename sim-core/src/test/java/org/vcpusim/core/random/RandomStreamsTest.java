package org.vcpusim.core.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class RandomStreamsTest {

  private static final int SEQUENCE_LENGTH = 16;

  private static Gen<String> names() {
    return strings().basicLatinAlphabet().ofLengthBetween(1, 12)
        .mix(strings().betweenCodePoints(0x20, 0x2FFF).ofLengthBetween(1, 6), 30);
  }

  /** A mixed draw using every helper, so any helper's consumption is covered. */
  private static long mixedDraw(RandomStream stream, int i) {
    switch (i % 6) {
      case 0: return stream.nextLong();
      case 1: return stream.nextInt(1 + i);
      case 2: return stream.uniform(-5L, 1_000_000_007L);
      case 3: return Double.doubleToLongBits(stream.exponential(3.5));
      case 4: return stream.bernoulli(0.3) ? 1 : 0;
      default: return Double.doubleToLongBits(stream.uniform(-1.0, 2.0));
    }
  }

  private static long[] sequence(RandomStream stream) {
    long[] values = new long[SEQUENCE_LENGTH];
    for (int i = 0; i < values.length; i++) {
      values[i] = mixedDraw(stream, i);
    }
    return values;
  }

  @Test
  void drawingFromOneStreamNeverChangesAnother() {
    qt().withExamples(1000)
        .forAll(longs().all(), names(), names(), integers().between(0, 300))
        .assuming((seed, a, b, draws) -> !a.equals(b))
        .checkAssert((seed, a, b, draws) -> {
          long[] alone = sequence(new RandomStreams(seed).stream(b));
          RandomStreams shared = new RandomStreams(seed);
          RandomStream streamA = shared.stream(a);
          for (int i = 0; i < draws; i++) {
            mixedDraw(streamA, i);
          }
          RandomStream streamB = shared.stream(b);
          long[] interleaved = new long[SEQUENCE_LENGTH];
          for (int i = 0; i < SEQUENCE_LENGTH; i++) {
            interleaved[i] = mixedDraw(streamB, i);
            mixedDraw(streamA, i + draws); // A keeps drawing between B's draws
          }
          assertArrayEquals(alone, interleaved);
        });
  }

  @Test
  void sameSeedAndNameGiveTheSameSequence() {
    qt().withExamples(1000)
        .forAll(longs().all(), names())
        .checkAssert((seed, name) -> assertArrayEquals(
            sequence(new RandomStreams(seed).stream(name)),
            sequence(new RandomStreams(seed).stream(name))));
  }

  @Test
  void differentNamesOrSeedsGiveDifferentSequences() {
    qt().withExamples(1000)
        .forAll(longs().all(), names(), names())
        .assuming((seed, a, b) -> !a.equals(b))
        .checkAssert((seed, a, b) -> {
          RandomStreams streams = new RandomStreams(seed);
          assertNotEquals(RandomStreams.streamSeed(seed, a), RandomStreams.streamSeed(seed, b));
          assertFalse(java.util.Arrays.equals(
              sequence(streams.stream(a)), sequence(streams.stream(b))));
          assertFalse(java.util.Arrays.equals(
              sequence(new RandomStreams(seed).stream(a)),
              sequence(new RandomStreams(seed + 1).stream(a))));
        });
  }

  @Test
  void seedDerivationIsPinned() {
    // A change here changes every run's random choices: results would no longer reproduce.
    assertEquals(-8016802470673019407L, RandomStreams.streamSeed(42, "sched"));
    RandomStream sched = new RandomStreams(42).stream("sched");
    assertEquals(4447538144678151984L, sched.nextLong());
    assertEquals(7952539537354363950L, sched.nextLong());
    assertEquals(-5490400362878142245L, sched.nextLong());
  }

  @Test
  void generatorMatchesTheXoshiro256StarStarReferenceOutput() {
    // prng.di.unimi.it/xoshiro256starstar.c from state {1, 2, 3, 4}.
    RandomStream stream = new RandomStream("reference", 1, 2, 3, 4);
    assertEquals(11520L, stream.nextLong());
    assertEquals(0L, stream.nextLong());
    assertEquals(1509978240L, stream.nextLong());
    assertEquals(1215971899390074240L, stream.nextLong());
    assertEquals(Long.parseUnsignedLong("1216172134540287360"), stream.nextLong());
  }

  @Test
  void streamsAreCachedByName() {
    RandomStreams streams = new RandomStreams(1);
    assertSame(streams.stream("cpu0"), streams.stream("cpu0"));
    assertEquals("cpu0", streams.stream("cpu0").name());
    assertEquals(1, streams.runSeed());
    assertThrows(IllegalArgumentException.class, () -> streams.stream(""));
    assertThrows(IllegalArgumentException.class, () -> streams.stream("bad\uD800name"));
  }

  @Test
  void boundedIntegersStayInRangeAndCoverItEvenly() {
    RandomStream stream = new RandomStreams(3).stream("ints");
    int[] counts = new int[10];
    for (int i = 0; i < 100_000; i++) {
      counts[stream.nextInt(10)]++;
    }
    for (int count : counts) {
      assertTrue(Math.abs(count - 10_000) < 500, "bucket count " + count);
    }
    long big = Long.MAX_VALUE / 3 * 2; // forces the rejection path sometimes
    for (int i = 0; i < 10_000; i++) {
      long v = stream.nextLong(big);
      assertTrue(v >= 0 && v < big);
      long u = stream.uniform(-3, 4);
      assertTrue(u >= -3 && u < 4);
    }
    assertThrows(IllegalArgumentException.class, () -> stream.nextInt(0));
    assertThrows(IllegalArgumentException.class, () -> stream.uniform(5, 5));
    assertThrows(IllegalArgumentException.class, () -> stream.uniform(Long.MIN_VALUE, 1));
  }

  @Test
  void uniformRangeHitsBothEndsOfASmallRange() {
    RandomStream stream = new RandomStreams(9).stream("range");
    boolean sawMin = false;
    boolean sawMaxMinusOne = false;
    for (int i = 0; i < 1_000; i++) {
      long v = stream.uniform(1, 4);
      sawMin |= v == 1;
      sawMaxMinusOne |= v == 3;
      assertTrue(v >= 1 && v <= 3);
    }
    assertTrue(sawMin && sawMaxMinusOne);
  }

  @Test
  void exponentialHasTheRequestedMean() {
    RandomStream stream = new RandomStreams(5).stream("exp");
    double sum = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      double x = stream.exponential(250.0);
      assertTrue(x >= 0);
      sum += x;
    }
    assertEquals(250.0, sum / n, 250.0 * 0.02);
    assertThrows(IllegalArgumentException.class, () -> stream.exponential(0));
  }

  @Test
  void bernoulliRespectsItsExtremesAndRate() {
    RandomStream stream = new RandomStreams(11).stream("coin");
    int heads = 0;
    for (int i = 0; i < 100_000; i++) {
      assertFalse(stream.bernoulli(0));
      assertTrue(stream.bernoulli(1));
      heads += stream.bernoulli(0.25) ? 1 : 0;
    }
    assertEquals(25_000, heads, 1_000);
    assertThrows(IllegalArgumentException.class, () -> stream.bernoulli(1.5));
    assertThrows(IllegalArgumentException.class, () -> stream.bernoulli(Double.NaN));
  }
}
