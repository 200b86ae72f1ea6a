package org.vcpusim.benchmarks;

import java.util.Arrays;

/** Contender: 4-ary heap on parallel primitive arrays, keys inline, positions per handle. */
final class QuaternaryHeapQueue {
  private long[] ticks = new long[16];
  private long[] keys = new long[16];
  private int[] handles = new int[16];
  private int[] positions = new int[16];
  private int size;
  private long sequence;
  private long now;

  int newHandle(int handle) {
    if (handle >= positions.length) {
      positions = Arrays.copyOf(positions, Math.max(handle + 1, positions.length * 2));
    }
    positions[handle] = -1;
    return handle;
  }

  long now() {
    return now;
  }

  void schedule(int handle, long tick) {
    if (tick < now) {
      throw new IllegalArgumentException();
    }
    int i = size++;
    if (i == ticks.length) {
      ticks = Arrays.copyOf(ticks, i * 2);
      keys = Arrays.copyOf(keys, i * 2);
      handles = Arrays.copyOf(handles, i * 2);
    }
    long key = sequence++;
    while (i > 0) {
      int parent = (i - 1) >>> 2;
      long pt = ticks[parent];
      if (pt < tick || (pt == tick && keys[parent] < key)) {
        break;
      }
      ticks[i] = pt;
      keys[i] = keys[parent];
      int ph = handles[parent];
      handles[i] = ph;
      positions[ph] = i;
      i = parent;
    }
    ticks[i] = tick;
    keys[i] = key;
    handles[i] = handle;
    positions[handle] = i;
  }

  int pop() {
    int top = handles[0];
    now = ticks[0];
    positions[top] = -1;
    int last = --size;
    if (last > 0) {
      long tick = ticks[last];
      long key = keys[last];
      int handle = handles[last];
      int i = 0;
      while (true) {
        int first = 4 * i + 1;
        if (first >= last) {
          break;
        }
        int best = first;
        long bt = ticks[first];
        long bk = keys[first];
        int end = Math.min(first + 4, last);
        for (int c = first + 1; c < end; c++) {
          long ct = ticks[c];
          if (ct < bt || (ct == bt && keys[c] < bk)) {
            best = c;
            bt = ct;
            bk = keys[c];
          }
        }
        if (tick < bt || (tick == bt && key < bk)) {
          break;
        }
        ticks[i] = bt;
        keys[i] = bk;
        int bh = handles[best];
        handles[i] = bh;
        positions[bh] = i;
        i = best;
      }
      ticks[i] = tick;
      keys[i] = key;
      handles[i] = handle;
      positions[handle] = i;
    }
    return top;
  }
}
