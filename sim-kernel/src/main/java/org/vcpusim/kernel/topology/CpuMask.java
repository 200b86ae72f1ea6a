package org.vcpusim.kernel.topology;

import java.util.Arrays;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * An immutable set of CPU numbers in {@code [0, MAX_CPUS)}, the value type behind every affinity
 * mask, cpuset and topology span of the model (the kernel's {@code struct cpumask},
 * {@code include/linux/cpumask.h}).
 *
 * <p>Iteration is always in ascending CPU order ({@code for_each_cpu}), or in ascending order
 * starting at a given CPU and wrapping around ({@link #streamWrapFrom}, {@code for_each_cpu_wrap}),
 * so that every choice derived from a mask is deterministic. Set operations return new masks.
 *
 * <p>{@link #parse} and {@link #toString} use the kernel's "cpulist" format, the one of
 * {@code /sys/devices/system/cpu/online}, {@code taskset -c} and {@code cpuset.cpus}
 * ({@code lib/bitmap-str.c: bitmap_parselist()}): comma-separated CPU numbers and ranges
 * {@code a-b}, a range optionally followed by {@code :used/group} to take the first {@code used}
 * CPUs of every {@code group} ({@code "0-7:2/4"} is {@code 0,1,4,5}).
 */
public final class CpuMask {
  /** Largest number of CPUs a mask can describe (the model's {@code NR_CPUS}). */
  public static final int MAX_CPUS = 1024;

  private static final int WORDS = MAX_CPUS / Long.SIZE;
  private static final CpuMask EMPTY = new CpuMask(new long[WORDS]);

  private final long[] words;
  private final int weight;

  private CpuMask(long[] words) {
    this.words = words;
    int w = 0;
    for (long word : words) {
      w += Long.bitCount(word);
    }
    this.weight = w;
  }

  /** The empty mask. */
  public static CpuMask empty() {
    return EMPTY;
  }

  /** A mask holding exactly {@code cpus}. */
  public static CpuMask of(int... cpus) {
    long[] w = new long[WORDS];
    for (int cpu : cpus) {
      checkCpu(cpu);
      w[cpu >>> 6] |= 1L << cpu;
    }
    return new CpuMask(w);
  }

  /** CPUs {@code from..toInclusive}; empty when {@code toInclusive < from}. */
  public static CpuMask range(int from, int toInclusive) {
    if (toInclusive < from) {
      return EMPTY;
    }
    checkCpu(from);
    checkCpu(toInclusive);
    long[] w = new long[WORDS];
    for (int cpu = from; cpu <= toInclusive; cpu++) {
      w[cpu >>> 6] |= 1L << cpu;
    }
    return new CpuMask(w);
  }

  /** CPUs {@code 0..n-1}. */
  public static CpuMask first(int n) {
    if (n < 0 || n > MAX_CPUS) {
      throw new IllegalArgumentException("CPU count " + n + " outside [0, " + MAX_CPUS + "]");
    }
    return range(0, n - 1);
  }

  /**
   * The mask whose bit {@code i} is bit {@code i} of {@code bits}: a convenience for masks over
   * the first 64 CPUs.
   */
  public static CpuMask ofBits(long bits) {
    long[] w = new long[WORDS];
    w[0] = bits;
    return new CpuMask(w);
  }

  /**
   * Parses a cpulist such as {@code "0-3,8"} or {@code "0-15:2/4"}; the empty (or all-blank)
   * string is the empty mask.
   *
   * @throws IllegalArgumentException with the offending column when the text is not a cpulist or
   *     names a CPU at or above {@link #MAX_CPUS}
   */
  public static CpuMask parse(String text) {
    String s = text.strip();
    long[] w = new long[WORDS];
    if (s.isEmpty()) {
      return EMPTY;
    }
    int lead = text.indexOf(s);
    int pos = 0;
    while (true) {
      Cursor c = new Cursor(s, lead, pos);
      int start = c.number();
      int end = start;
      int used = 1;
      int group = 1;
      if (c.peek('-')) {
        c.advance();
        end = c.number();
        if (end < start) {
          throw c.error("range end " + end + " below start " + start);
        }
        if (c.peek(':')) {
          c.advance();
          used = c.number();
          c.expect('/');
          group = c.number();
          if (used == 0 || group == 0 || used > group) {
            throw c.error("group " + used + "/" + group + " must have 0 < used <= group");
          }
        }
      }
      for (int cpu = start; cpu <= end; cpu++) {
        if ((cpu - start) % group < used) {
          w[cpu >>> 6] |= 1L << cpu;
        }
      }
      pos = c.pos;
      if (pos == s.length()) {
        break;
      }
      if (s.charAt(pos) != ',') {
        throw new Cursor(s, lead, pos).error("expected ',' or end of list");
      }
      pos++;
    }
    return new CpuMask(w);
  }

  /** Whether {@code cpu} is in the mask ({@code cpumask_test_cpu}). */
  public boolean contains(int cpu) {
    return cpu >= 0 && cpu < MAX_CPUS && (words[cpu >>> 6] & (1L << cpu)) != 0;
  }

  /** Number of CPUs in the mask ({@code cpumask_weight}). */
  public int weight() {
    return weight;
  }

  public boolean isEmpty() {
    return weight == 0;
  }

  /** Lowest CPU, or -1 when empty ({@code cpumask_first}). */
  public int first() {
    return nextSetBit(0);
  }

  /** Highest CPU, or -1 when empty ({@code cpumask_last}). */
  public int last() {
    for (int i = WORDS - 1; i >= 0; i--) {
      if (words[i] != 0) {
        return i * Long.SIZE + 63 - Long.numberOfLeadingZeros(words[i]);
      }
    }
    return -1;
  }

  /** Lowest CPU at or above {@code from}, or -1 when there is none. */
  public int nextSetBit(int from) {
    if (from < 0) {
      from = 0;
    }
    if (from >= MAX_CPUS) {
      return -1;
    }
    int i = from >>> 6;
    long word = words[i] & (-1L << from);
    while (true) {
      if (word != 0) {
        return i * Long.SIZE + Long.numberOfTrailingZeros(word);
      }
      if (++i == WORDS) {
        return -1;
      }
      word = words[i];
    }
  }

  /**
   * Lowest CPU at or above {@code from}, wrapping around to the lowest CPU of the mask; -1 when
   * empty ({@code find_next_bit_wrap}).
   */
  public int nextSetBitWrap(int from) {
    int cpu = from >= MAX_CPUS ? -1 : nextSetBit(from);
    return cpu >= 0 ? cpu : first();
  }

  /** The intersection ({@code cpumask_and}). */
  public CpuMask and(CpuMask other) {
    long[] w = new long[WORDS];
    for (int i = 0; i < WORDS; i++) {
      w[i] = words[i] & other.words[i];
    }
    return new CpuMask(w);
  }

  /** The union ({@code cpumask_or}). */
  public CpuMask or(CpuMask other) {
    long[] w = new long[WORDS];
    for (int i = 0; i < WORDS; i++) {
      w[i] = words[i] | other.words[i];
    }
    return new CpuMask(w);
  }

  /** The CPUs of this mask not in {@code other} ({@code cpumask_andnot}). */
  public CpuMask andNot(CpuMask other) {
    long[] w = new long[WORDS];
    for (int i = 0; i < WORDS; i++) {
      w[i] = words[i] & ~other.words[i];
    }
    return new CpuMask(w);
  }

  /** This mask plus {@code cpu}. */
  public CpuMask with(int cpu) {
    checkCpu(cpu);
    long[] w = words.clone();
    w[cpu >>> 6] |= 1L << cpu;
    return new CpuMask(w);
  }

  /** This mask minus {@code cpu}. */
  public CpuMask without(int cpu) {
    checkCpu(cpu);
    long[] w = words.clone();
    w[cpu >>> 6] &= ~(1L << cpu);
    return new CpuMask(w);
  }

  /** Whether the masks share a CPU ({@code cpumask_intersects}). */
  public boolean intersects(CpuMask other) {
    for (int i = 0; i < WORDS; i++) {
      if ((words[i] & other.words[i]) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether every CPU of this mask is in {@code other} ({@code cpumask_subset}). */
  public boolean isSubsetOf(CpuMask other) {
    for (int i = 0; i < WORDS; i++) {
      if ((words[i] & ~other.words[i]) != 0) {
        return false;
      }
    }
    return true;
  }

  /** The CPUs in ascending order. */
  public IntStream stream() {
    return IntStream.iterate(first(), cpu -> cpu >= 0, cpu -> nextSetBit(cpu + 1));
  }

  /**
   * The CPUs in ascending order starting at {@code start} (which need not be in the mask) and
   * wrapping around below it ({@code for_each_cpu_wrap}).
   */
  public IntStream streamWrapFrom(int start) {
    int s = Math.max(0, Math.min(start, MAX_CPUS));
    IntStream high = IntStream.iterate(nextSetBit(s), cpu -> cpu >= 0, cpu -> nextSetBit(cpu + 1));
    IntStream low =
        IntStream.iterate(first(), cpu -> cpu >= 0 && cpu < s, cpu -> nextSetBit(cpu + 1));
    return IntStream.concat(high, low);
  }

  /** Calls {@code action} for every CPU in ascending order. */
  public void forEach(IntConsumer action) {
    for (int cpu = first(); cpu >= 0; cpu = nextSetBit(cpu + 1)) {
      action.accept(cpu);
    }
  }

  /** The CPUs in ascending order. */
  public int[] toArray() {
    return stream().toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuMask && Arrays.equals(words, ((CpuMask) o).words);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(words);
  }

  /** The cpulist form, e.g. {@code "0-3,8"}; the empty mask is {@code ""}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    int cpu = first();
    while (cpu >= 0) {
      int end = cpu;
      while (end + 1 < MAX_CPUS && contains(end + 1)) {
        end++;
      }
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(cpu);
      if (end > cpu) {
        sb.append('-').append(end);
      }
      cpu = nextSetBit(end + 1);
    }
    return sb.toString();
  }

  private static void checkCpu(int cpu) {
    if (cpu < 0 || cpu >= MAX_CPUS) {
      throw new IllegalArgumentException("CPU " + cpu + " outside [0, " + MAX_CPUS + ")");
    }
  }

  /** A position in a cpulist being parsed. */
  private static final class Cursor {
    private final String text;
    private final int lead;
    private int pos;

    Cursor(String text, int lead, int pos) {
      this.text = text;
      this.lead = lead;
      this.pos = pos;
    }

    boolean peek(char ch) {
      return pos < text.length() && text.charAt(pos) == ch;
    }

    void advance() {
      pos++;
    }

    void expect(char ch) {
      if (!peek(ch)) {
        throw error("expected '" + ch + "'");
      }
      pos++;
    }

    int number() {
      int start = pos;
      long value = 0;
      while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
        value = value * 10 + (text.charAt(pos) - '0');
        if (value >= MAX_CPUS) {
          pos = start;
          throw error("CPU number at or above " + MAX_CPUS);
        }
        pos++;
      }
      if (pos == start) {
        throw error("expected a CPU number");
      }
      return (int) value;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException(
          "bad cpulist \"" + text + "\" at column " + (lead + pos + 1) + ": " + what);
    }
  }
}
