package org.vcpusim.cpu.timing;

/**
 * Occupancy of a group of identical execution ports (the load ports, the store ports or the
 * integer ALU pipes) cycle by cycle: {@link #claim} finds the first cycle at or after a given one
 * with a free port and takes it. A ring of per-cycle counters tagged with their cycle, so claiming is array work only.
 *
 * <p>When the front end delivers more accesses per cycle than there are ports, requests keep
 * arriving at cycles that are already full; a run {@code [fullFrom, fullTo)} of consecutive full
 * cycles is remembered so such a request jumps over it instead of scanning it.
 *
 * <p><b>Caveats:</b> reservations more than {@link #WINDOW} cycles apart alias; the window is far
 * larger than any latency between the front end and a load's issue in the model.
 */
final class PortSchedule {
  static final int WINDOW = 1 << 12;
  private static final int MASK = WINDOW - 1;

  private final int ports;
  private final long[] cycle = new long[WINDOW];
  private final int[] used = new int[WINDOW];
  private long fullFrom;
  private long fullTo; // cycles in [fullFrom, fullTo) are known to be full

  PortSchedule(int ports) {
    this.ports = ports;
    java.util.Arrays.fill(cycle, -1L);
  }

  private boolean full(long c) {
    int i = (int) c & MASK;
    return cycle[i] == c && used[i] >= ports;
  }

  /** Takes a port in the first cycle at or after {@code earliest} that has one free. */
  long claim(long earliest) {
    long c = earliest;
    if (c >= fullFrom && c < fullTo) {
      c = fullTo;
    }
    while (true) {
      int i = (int) c & MASK;
      if (cycle[i] != c) {
        cycle[i] = c;
        used[i] = 1;
        if (ports == 1) {
          noteFull(c);
        }
        return c;
      }
      if (used[i] < ports) {
        if (++used[i] == ports) {
          noteFull(c);
        }
        return c;
      }
      c++;
    }
  }

  private void noteFull(long c) {
    if (c == fullTo) {
      long e = c + 1;
      while (full(e)) {
        e++;
      }
      fullTo = e;
    } else if (c == fullFrom - 1) {
      fullFrom = c;
    } else if (c > fullTo || c < fullFrom - 1) {
      fullFrom = c;
      long e = c + 1;
      while (full(e)) {
        e++;
      }
      fullTo = e;
    }
  }
}
