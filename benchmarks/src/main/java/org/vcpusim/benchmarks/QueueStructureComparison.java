package org.vcpusim.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.vcpusim.core.event.EventQueue;

/**
 * Hold-model A/B of {@link EventQueue} (radix heap) against {@link QuaternaryHeapQueue} measured
 * in <em>thread CPU time</em> ({@link ThreadMXBean#getCurrentThreadCpuTime()}), the two structures
 * alternating in one JVM. On a shared machine JMH's wall-clock scores swing with other jobs (time
 * spent descheduled counts against the benchmark); CPU time does not, so this is the tool for
 * deciding between structures, and {@code benchmarks/run.sh engine} the one for reporting
 * throughput. Each cell is the median of {@code rounds} rounds of 2,000,000 hold operations.
 *
 * <p>Two increment distributions: U[1,1000] ticks (the JMH benchmark's) at 16, 1,000 and 100,000
 * pending, and a picosecond-scale mix closer to a kernel model (80% CPU steps 1-5 ns ahead, 20%
 * timers about 1 ms ahead) at 16, 64 and 256 pending.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * org.vcpusim.benchmarks.QueueStructureComparison [rounds]} (default 11).
 */
public final class QueueStructureComparison {

  private static final int RING_SIZE = 1 << 14;
  private static final int OPERATIONS = 2_000_000;

  private final long[] increments = new long[RING_SIZE];
  private int cursor;

  private QueueStructureComparison(LongSupplier distribution) {
    for (int i = 0; i < RING_SIZE; i++) {
      increments[i] = distribution.getAsLong();
    }
  }

  private long nextIncrement() {
    int i = cursor;
    cursor = (i + 1) & (RING_SIZE - 1);
    return increments[i];
  }

  /** Prints one line per size: median ns per hold operation of each structure. */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 11;
    SplittableRandom random = new SplittableRandom(0x5EEDL);
    System.out.println("hold model, U[1,1000] ticks, median thread CPU time per operation");
    new QueueStructureComparison(() -> 1 + random.nextInt(1_000))
        .compare(new int[] {16, 1_000, 100_000}, rounds);
    System.out.println("hold model, ps mix (80% +1..5 ns, 20% +~1 ms), median thread CPU time");
    new QueueStructureComparison(() -> random.nextInt(10) < 8
        ? 1_000 + random.nextInt(4_000) : 1_000_000_000 - random.nextInt(1_000))
        .compare(new int[] {16, 64, 256}, rounds);
  }

  private void compare(int[] sizes, int rounds) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int pending : sizes) {
      EventQueue radix = new EventQueue(pending);
      QuaternaryHeapQueue heap = new QuaternaryHeapQueue();
      for (int i = 0; i < pending; i++) {
        radix.schedule(radix.newEvent((tick, event, payload) -> { }, 0), nextIncrement());
        heap.schedule(heap.newHandle(i), nextIncrement());
      }
      double[] radixNanos = new double[rounds];
      double[] heapNanos = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        long t0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < OPERATIONS; i++) {
          int event = radix.pop();
          radix.schedule(event, radix.now() + nextIncrement());
        }
        long t1 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < OPERATIONS; i++) {
          int event = heap.pop();
          heap.schedule(event, heap.now() + nextIncrement());
        }
        long t2 = threads.getCurrentThreadCpuTime();
        radixNanos[round] = (t1 - t0) / (double) OPERATIONS;
        heapNanos[round] = (t2 - t1) / (double) OPERATIONS;
      }
      Arrays.sort(radixNanos);
      Arrays.sort(heapNanos);
      double r = radixNanos[rounds / 2];
      double h = heapNanos[rounds / 2];
      System.out.println(String.format(Locale.ROOT,
          "  pending %7d   radix heap %6.1f ns (%5.1f M/s)   4-ary heap %6.1f ns (%5.1f M/s)",
          pending, r, 1e3 / r, h, 1e3 / h));
    }
  }
}
