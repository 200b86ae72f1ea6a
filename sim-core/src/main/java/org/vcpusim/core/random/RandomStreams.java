package org.vcpusim.core.random;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The named random streams of one run. A stream's values depend only on the run seed and the
 * stream's name, never on which other streams exist or how much they were used, so adding a
 * component (and its stream) to a model leaves every other component's random choices unchanged.
 *
 * <p>Seed derivation, {@link #streamSeed(long, String)}:
 *
 * <pre>
 * nameHash   = FarmHash Fingerprint64(UTF-8 bytes of name)   (Guava farmHashFingerprint64)
 * streamSeed = mix64(mix64(runSeed + GOLDEN_GAMMA) ^ nameHash)
 * </pre>
 *
 * where {@code mix64} is the SplitMix64 finalizer and GOLDEN_GAMMA = 0x9E3779B97F4A7C15.
 * Fingerprint64 is a persistent string fingerprint whose value is fixed by the published FarmHash
 * reference code (Guava documents it as equal to {@code farmhash::Fingerprint64}), unlike {@code
 * String.hashCode} (32 bits, trivially colliding) or identity hashes (vary per JVM run). The inner
 * {@code mix64} keeps nearby run seeds (1, 2, 3 ...) from producing related streams. The stream
 * generator is {@link RandomStream} (xoshiro256**).
 *
 * <p><b>Caveats</b>: not thread-safe; one instance per run. {@link #stream(String)} returns the
 * same instance for the same name, so two components that ask for one name share (and advance)
 * one sequence; give each consumer its own name, e.g. {@code "sched.cpu3"}.
 */
public final class RandomStreams {

  private static final HashFunction NAME_HASH = Hashing.farmHashFingerprint64();

  private final long runSeed;
  // Looked up by name only, never iterated, so its order cannot reach a result.
  private final Map<String, RandomStream> streams = new HashMap<>();

  /** The streams of a run with the given seed. */
  public RandomStreams(long runSeed) {
    this.runSeed = runSeed;
  }

  /** The run seed. */
  public long runSeed() {
    return runSeed;
  }

  /**
   * The stream called {@code name}, created at its first request.
   *
   * @throws IllegalArgumentException if {@code name} is empty or not well-formed UTF-16 (an
   *     unpaired surrogate has no UTF-8 encoding, so two such names could share a stream)
   */
  public RandomStream stream(String name) {
    RandomStream stream = streams.get(name);
    if (stream == null) {
      stream = new RandomStream(name, streamSeed(runSeed, name));
      streams.put(name, stream);
    }
    return stream;
  }

  /**
   * The 64-bit seed of stream {@code name} in a run seeded with {@code runSeed}.
   *
   * @throws IllegalArgumentException as {@link #stream(String)}
   */
  public static long streamSeed(long runSeed, String name) {
    checkName(name);
    long nameHash = NAME_HASH.hashString(name, StandardCharsets.UTF_8).asLong();
    return SplitMix64.mix64(SplitMix64.mix64(runSeed + SplitMix64.GOLDEN_GAMMA) ^ nameHash);
  }

  private static void checkName(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("stream name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < name.length()
          && Character.isLowSurrogate(name.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate at index " + i
            + " in stream name");
      }
    }
  }
}
