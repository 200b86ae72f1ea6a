package org.vcpusim.cpu.timing;

/**
 * Occupancy of a group of identical execution ports (the load ports, or the store ports) cycle by
 * cycle: {@link #claim} finds the first cycle at or after a given one with a free port and takes
 * it. A ring of per-cycle counters tagged with their cycle, so claiming is array work only.
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

  PortSchedule(int ports) {
    this.ports = ports;
    java.util.Arrays.fill(cycle, -1L);
  }

  /** Takes a port in the first cycle at or after {@code earliest} that has one free. */
  long claim(long earliest) {
    long c = earliest;
    while (true) {
      int i = (int) c & MASK;
      if (cycle[i] != c) {
        cycle[i] = c;
        used[i] = 1;
        return c;
      }
      if (used[i] < ports) {
        used[i]++;
        return c;
      }
      c++;
    }
  }
}
