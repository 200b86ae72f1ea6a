package org.vcpusim.kernel.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CpuHeapTest {
  static final int CPUS = 16;

  /** Operations set, move or remove random CPUs; the minimum always matches a sorted set. */
  @Test
  void theTopIsTheSmallestTimeWithTiesToTheLowerCpu() {
    qt().withExamples(Integer.getInteger("vcpusim.qt.examples", 300))
        .forAll(lists().of(integers().between(0, CPUS * 20 * 2 - 1)).ofSizeBetween(1, 200))
        .checkAssert(ops -> {
          CpuHeap heap = new CpuHeap(CPUS);
          long[] time = new long[CPUS];
          TreeSet<long[]> ref = new TreeSet<>((a, b) ->
              a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
          boolean[] in = new boolean[CPUS];
          for (int op : ops) {
            int cpu = op % CPUS;
            long t = (op / CPUS) % 20;
            boolean remove = op >= CPUS * 20;
            if (in[cpu]) {
              ref.remove(new long[] {time[cpu], cpu});
            }
            if (remove) {
              heap.remove(cpu);
              in[cpu] = false;
            } else {
              heap.set(cpu, t);
              time[cpu] = t;
              in[cpu] = true;
              ref.add(new long[] {t, cpu});
            }
            assertEquals(ref.size(), heap.size());
            if (!ref.isEmpty()) {
              assertEquals(ref.first()[1], heap.peek());
              assertEquals(ref.first()[0], heap.peekTime());
            }
          }
        });
  }
}
