package org.vcpusim.core.random;

/**
 * The SplitMix64 finalizer (Steele, Lea, Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014; constants from Vigna's splitmix64.c, the variant used to seed xoshiro generators):
 * a bijective 64-bit mixer in which every input bit affects every output bit.
 */
final class SplitMix64 {

  /** The odd increment 2^64 / phi, rounded to odd. */
  static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private SplitMix64() {}

  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
