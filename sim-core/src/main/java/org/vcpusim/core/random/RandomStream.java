package org.vcpusim.core.random;

/**
 * One named stream of pseudo-random numbers: xoshiro256** 1.0 (Blackman and Vigna, "Scrambled
 * linear pseudorandom number generators", ACM TOMS 47(4), 2021; reference code at
 * prng.di.unimi.it/xoshiro256starstar.c), a 256-bit-state generator with period 2^256 - 1 that
 * passes BigCrush and PractRand. Its 256-bit state is filled from a 64-bit seed with four
 * consecutive SplitMix64 outputs, as the authors recommend. Every helper below is defined in
 * integer arithmetic or {@link StrictMath}, so a stream yields the same values on every JVM.
 *
 * <p>Obtain streams from {@link RandomStreams}, which derives the seed from (run seed, name).
 *
 * <p><b>Caveats</b>: not thread-safe; a stream belongs to one run.
 */
public final class RandomStream {

  private static final double DOUBLE_UNIT = 0x1.0p-53;

  private final String name;
  private long s0;
  private long s1;
  private long s2;
  private long s3;

  RandomStream(String name, long seed) {
    this.name = name;
    long x = seed;
    x += SplitMix64.GOLDEN_GAMMA;
    s0 = SplitMix64.mix64(x);
    x += SplitMix64.GOLDEN_GAMMA;
    s1 = SplitMix64.mix64(x);
    x += SplitMix64.GOLDEN_GAMMA;
    s2 = SplitMix64.mix64(x);
    x += SplitMix64.GOLDEN_GAMMA;
    s3 = SplitMix64.mix64(x);
  }

  /** A stream with an explicit 256-bit state (not all zero), for reference test vectors. */
  RandomStream(String name, long s0, long s1, long s2, long s3) {
    if ((s0 | s1 | s2 | s3) == 0) {
      throw new IllegalArgumentException("xoshiro256** state must not be all zero");
    }
    this.name = name;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** The name this stream was created under. */
  public String name() {
    return name;
  }

  /** The next 64 uniformly distributed bits. */
  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /**
   * A uniform {@code int} in [0, bound), without bias: Lemire's multiply-and-reject method
   * ("Fast random integer generation in an interval", ACM TOMACS 29(1), 2019) on the upper 32 bits
   * of {@link #nextLong()}.
   */
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0: " + bound);
    }
    long product = (nextLong() >>> 32) * bound;
    long low = product & 0xFFFF_FFFFL;
    if (low < bound) {
      long threshold = (0x1_0000_0000L - bound) % bound;
      while (low < threshold) {
        product = (nextLong() >>> 32) * bound;
        low = product & 0xFFFF_FFFFL;
      }
    }
    return (int) (product >>> 32);
  }

  /**
   * A uniform {@code long} in [0, bound), without bias (rejection of the incomplete last block of
   * the 63-bit range, as {@code java.util.SplittableRandom} does).
   */
  public long nextLong(long bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be > 0: " + bound);
    }
    long m = bound - 1;
    long r = nextLong() >>> 1;
    if ((bound & m) == 0) {
      return r & m;
    }
    for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
      // reject: u falls in the last, incomplete block of size < bound
    }
    return r;
  }

  /** A uniform {@code long} in [minInclusive, maxExclusive). */
  public long uniform(long minInclusive, long maxExclusive) {
    if (minInclusive >= maxExclusive) {
      throw new IllegalArgumentException("empty range [" + minInclusive + ", " + maxExclusive
          + ")");
    }
    long span = maxExclusive - minInclusive;
    if (span <= 0) {
      throw new IllegalArgumentException("range wider than Long.MAX_VALUE: [" + minInclusive
          + ", " + maxExclusive + ")");
    }
    return minInclusive + nextLong(span);
  }

  /** A uniform {@code double} in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * DOUBLE_UNIT;
  }

  /** A uniform {@code double} in [min, max). */
  public double uniform(double min, double max) {
    if (!(min < max) || Double.isInfinite(max - min)) {
      throw new IllegalArgumentException("bad range [" + min + ", " + max + ")");
    }
    double value = min + (max - min) * nextDouble();
    return value < max ? value : Math.nextDown(max);
  }

  /**
   * An exponentially distributed {@code double} with the given mean, by inversion:
   * {@code -mean * log(1 - U)} with U uniform in [0, 1), using {@link StrictMath#log1p} so the
   * value is identical on every JVM.
   */
  public double exponential(double mean) {
    if (!(mean > 0) || Double.isInfinite(mean)) {
      throw new IllegalArgumentException("mean must be finite and > 0: " + mean);
    }
    return -mean * StrictMath.log1p(-nextDouble());
  }

  /** {@code true} with probability {@code p}; always draws exactly one value. */
  public boolean bernoulli(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability must be in [0, 1]: " + p);
    }
    return nextDouble() < p;
  }

  @Override
  public String toString() {
    return "RandomStream[" + name + "]";
  }
}
