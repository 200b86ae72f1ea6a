package org.vcpusim.benchmarks;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * The baseline that {@link org.vcpusim.core.event.EventQueue}'s structure was chosen against: a
 * 4-ary min-heap on parallel primitive arrays with the keys inline (LaMarca and Ladner, "The
 * influence of caches on the performance of heaps", JEA 1, 1996), the structure that beat {@code
 * java.util.PriorityQueue} and SSJ in reference/anchors.md section 3.3. Ordered by (tick, sequence)
 * like EventQueue at one priority, and it keeps a position per handle, as cancellation would need,
 * so that it pays the same bookkeeping as EventQueue. It implements only what the hold model uses:
 * schedule and pop.
 *
 * <p><b>Caveats</b>: benchmark code; not thread-safe, no cancel, handles are caller-chosen.
 */
final class QuaternaryHeapQueue {

  private long[] ticks = new long[16];
  private long[] sequences = new long[16];
  private int[] handles = new int[16];
  private int[] positions = new int[16];
  private int size;
  private long nextSequence;
  private long now;

  /** Registers {@code handle} (any non-negative int) as an idle event and returns it. */
  int newHandle(int handle) {
    if (handle >= positions.length) {
      positions = Arrays.copyOf(positions, Math.max(handle + 1, positions.length * 2));
    }
    positions[handle] = -1;
    return handle;
  }

  /** Tick of the last popped event. */
  long now() {
    return now;
  }

  /** Schedules an idle event at {@code tick >= now()}. */
  void schedule(int handle, long tick) {
    if (tick < now) {
      throw new IllegalArgumentException("tick " + tick + " is before now " + now);
    }
    int i = size++;
    if (i == ticks.length) {
      ticks = Arrays.copyOf(ticks, i * 2);
      sequences = Arrays.copyOf(sequences, i * 2);
      handles = Arrays.copyOf(handles, i * 2);
    }
    long sequence = nextSequence++;
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      long parentTick = ticks[parent];
      if (parentTick < tick || (parentTick == tick && sequences[parent] < sequence)) {
        break;
      }
      ticks[i] = parentTick;
      sequences[i] = sequences[parent];
      int parentHandle = handles[parent];
      handles[i] = parentHandle;
      positions[parentHandle] = i;
      i = parent;
    }
    ticks[i] = tick;
    sequences[i] = sequence;
    handles[i] = handle;
    positions[handle] = i;
  }

  /** Removes the earliest event, sets {@link #now()} to its tick and returns its handle. */
  int pop() {
    if (size == 0) {
      throw new NoSuchElementException("no pending events");
    }
    int top = handles[0];
    now = ticks[0];
    positions[top] = -1;
    int last = --size;
    if (last > 0) {
      long tick = ticks[last];
      long sequence = sequences[last];
      int handle = handles[last];
      int i = 0;
      while (true) {
        int first = 4 * i + 1;
        if (first >= last) {
          break;
        }
        int best = first;
        long bestTick = ticks[first];
        long bestSequence = sequences[first];
        int end = Math.min(first + 4, last);
        for (int c = first + 1; c < end; c++) {
          long childTick = ticks[c];
          if (childTick < bestTick || (childTick == bestTick && sequences[c] < bestSequence)) {
            best = c;
            bestTick = childTick;
            bestSequence = sequences[c];
          }
        }
        if (tick < bestTick || (tick == bestTick && sequence < bestSequence)) {
          break;
        }
        ticks[i] = bestTick;
        sequences[i] = bestSequence;
        int bestHandle = handles[best];
        handles[i] = bestHandle;
        positions[bestHandle] = i;
        i = best;
      }
      ticks[i] = tick;
      sequences[i] = sequence;
      handles[i] = handle;
      positions[handle] = i;
    }
    return top;
  }
}
