package org.vcpusim.kernel.machine;

import java.util.Arrays;

/**
 * The running CPUs ordered by local time: an indexed binary min-heap of CPU numbers keyed by
 * {@code (time, cpu)}, so the next CPU to step is found in O(1) and a CPU's time is updated in
 * O(log n) after each instruction, which keeps 64 CPUs cheap. Ties go to the lower CPU number.
 *
 * <p><b>Caveats:</b> not thread-safe; CPU numbers must be below the capacity given.
 */
final class CpuHeap {
  private final int[] heap;
  private final int[] position;
  private final long[] key;
  private int size;

  CpuHeap(int cpus) {
    heap = new int[cpus];
    position = new int[cpus];
    key = new long[cpus];
    Arrays.fill(position, -1);
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  boolean contains(int cpu) {
    return position[cpu] >= 0;
  }

  /** The CPU with the smallest (time, number); the heap must not be empty. */
  int peek() {
    return heap[0];
  }

  /** The time of {@link #peek()}. */
  long peekTime() {
    return key[heap[0]];
  }

  /** The time {@code cpu} is keyed at. */
  long time(int cpu) {
    return key[cpu];
  }

  /** Inserts {@code cpu} at {@code time}, or moves it there if present. */
  void set(int cpu, long time) {
    int p = position[cpu];
    if (p < 0) {
      key[cpu] = time;
      heap[size] = cpu;
      position[cpu] = size;
      siftUp(size++);
      return;
    }
    long old = key[cpu];
    key[cpu] = time;
    if (time < old) {
      siftUp(p);
    } else if (time > old) {
      siftDown(p);
    }
  }

  /** Removes {@code cpu} if present. */
  void remove(int cpu) {
    int p = position[cpu];
    if (p < 0) {
      return;
    }
    position[cpu] = -1;
    int last = heap[--size];
    if (p == size) {
      return;
    }
    heap[p] = last;
    position[last] = p;
    siftDown(p);
    siftUp(position[last]);
  }

  private boolean less(int a, int b) {
    long ka = key[a];
    long kb = key[b];
    return ka < kb || (ka == kb && a < b);
  }

  private void siftUp(int i) {
    int cpu = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      int pc = heap[parent];
      if (!less(cpu, pc)) {
        break;
      }
      heap[i] = pc;
      position[pc] = i;
      i = parent;
    }
    heap[i] = cpu;
    position[cpu] = i;
  }

  private void siftDown(int i) {
    int cpu = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && less(heap[child + 1], heap[child])) {
        child++;
      }
      int cc = heap[child];
      if (!less(cc, cpu)) {
        break;
      }
      heap[i] = cc;
      position[cc] = i;
      i = child;
    }
    heap[i] = cpu;
    position[cpu] = i;
  }
}
