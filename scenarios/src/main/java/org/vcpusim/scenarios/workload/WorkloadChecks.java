package org.vcpusim.scenarios.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.scenarios.scenario.WorkloadKind;
import org.vcpusim.scenarios.scenario.WorkloadSpec;

/**
 * End-of-run checks of a workload, reading simulated memory after every worker has stopped.
 *
 * <ul>
 *   <li><b>Object conservation</b> (slab and list kinds): every object is in exactly one place —
 *       a slab slot in {@code [begin, current)} of its own size class in some region, its class's
 *       central list, a list, or one thread's record of held objects — and nothing else sits in
 *       those places. An object found twice was handed out twice (two threads popped it, or a
 *       drain and an owner both moved it); an object found nowhere was lost.
 *   <li><b>Counter sums</b> (counter and spinlock kinds): the per-id counters sum to the ops the
 *       threads completed.
 *   <li><b>Setup</b>: a worker that could not register rseq or enable GS mode.
 * </ul>
 *
 * <p>Violations carry the check's tick; cpu and task are -1 (an end-state check cannot say who).
 * At most {@link #MAX_REPORTED} violations per check are reported, then one summary.
 *
 * <p><b>Caveats:</b> run only when no worker is inside an op (all exited, or stopped through the
 * stop word and exited); objects in flight would otherwise count as lost.
 */
public final class WorkloadChecks {
  /** Violations listed per check before they are summarized. */
  public static final int MAX_REPORTED = 10;

  private WorkloadChecks() {}

  /** Every check that applies to the image's kind. */
  public static List<Violation> check(WorkloadImage image, AddressSpace memory, long tick) {
    List<Violation> v = new ArrayList<>(setup(image, memory, tick));
    switch (image.spec().kind()) {
      case SLAB, LIST -> v.addAll(objectConservation(image, memory, tick));
      case COUNTER, SPINLOCK -> v.addAll(counterSum(image, memory, tick));
      default -> throw new IllegalStateException();
    }
    return v;
  }

  private static long load(AddressSpace m, long address, int size) {
    long v = m.load(address, size);
    if (m.hasFault()) {
      m.clearFault();
      throw new IllegalStateException("cannot read workload memory at 0x" + Long.toHexString(address));
    }
    return v;
  }

  /** Workers whose setup (own rseq registration, GS-mode prctl) failed. */
  public static List<Violation> setup(WorkloadImage image, AddressSpace m, long tick) {
    List<Violation> v = new ArrayList<>();
    for (int t = 0; t < image.options().threads(); t++) {
      long b = image.threadBlock(t);
      if (load(m, b + ThreadBlock.STATUS, 8) == ThreadBlock.STATUS_FAILED) {
        v.add(new Violation(Violation.WORKLOAD_SETUP, tick, -1, -1, String.format(Locale.ROOT,
            "worker %d: setup call returned %d", t, load(m, b + ThreadBlock.SETUP, 8))));
      }
    }
    return v;
  }

  /** Ops completed by all workers. */
  public static long opsDone(WorkloadImage image, AddressSpace m) {
    long n = 0;
    for (int t = 0; t < image.options().threads(); t++) {
      n += load(m, image.threadBlock(t) + ThreadBlock.OPS, 8);
    }
    return n;
  }

  /** The sum of the per-id counters (counter kind) or locked counters (spinlock kind). */
  public static long counterSum(WorkloadImage image, AddressSpace m) {
    PerIdRegion r = image.regions();
    int off = image.spec().kind() == WorkloadKind.SPINLOCK
        ? WorkloadImage.LOCKED_COUNT_OFF
        : WorkloadImage.COUNTER_OFF;
    long sum = 0;
    for (int id = 0; id < r.count(); id++) {
      sum += load(m, r.regionBase(id) + off, 8);
    }
    return sum;
  }

  /** Counter sum == ops done. */
  public static List<Violation> counterSum(WorkloadImage image, AddressSpace m, long tick) {
    long sum = counterSum(image, m);
    long ops = opsDone(image, m);
    if (sum == ops) {
      return List.of();
    }
    return List.of(new Violation(Violation.COUNTER_SUM, tick, -1, -1, String.format(Locale.ROOT,
        "per-id counters sum to %d, the threads completed %d increments (%+d)", sum, ops,
        sum - ops)));
  }

  /** Object conservation (slab and list kinds). */
  public static List<Violation> objectConservation(WorkloadImage image, AddressSpace m,
      long tick) {
    WorkloadSpec spec = image.spec();
    String[] where = new String[spec.objects()];
    List<String> problems = new ArrayList<>();
    PerIdRegion r = image.regions();
    if (spec.kind() == WorkloadKind.SLAB) {
      for (int id = image.firstMappedRegion(); id < r.count(); id++) {
        long base = r.regionBase(id);
        for (int c = 0; c < spec.sizeClasses(); c++) {
          long hdr = load(m, base + 4L * c, 4);
          int current = (int) (hdr & 0xffff);
          int end = (int) (hdr >>> 16);
          int begin = image.classBegin(c);
          if (hdr == image.lockedHeader()) {
            problems.add(String.format(Locale.ROOT, "region %d class %d is still locked", id, c));
            continue;
          }
          if (current < begin || current > begin + spec.slabCapacity()
              || end != begin + spec.slabCapacity()) {
            problems.add(String.format(Locale.ROOT,
                "region %d class %d header {current %d, end %d} outside [%d, %d]", id, c, current,
                end, begin, begin + spec.slabCapacity()));
            continue;
          }
          for (int s = begin; s < current; s++) {
            place(image, where, problems, load(m, base + 8L * s, 8), c,
                "region " + id + " class " + c + " slot " + s);
          }
        }
      }
      for (int c = 0; c < spec.sizeClasses(); c++) {
        long central = image.centralAddress(c);
        long count = load(m, central + 8, 8);
        for (long i = 0; i < count; i++) {
          place(image, where, problems, load(m, central + WorkloadImage.CENTRAL_SLOTS + 8 * i, 8),
              c, "central list " + c + " slot " + i);
        }
      }
    } else {
      for (int id = 0; id < r.count(); id++) {
        long node = load(m, r.regionBase(id) + WorkloadImage.LIST_OFF, 8);
        int steps = 0;
        while (node != 0 && steps++ <= spec.objects()) {
          if (!place(image, where, problems, node, -1, "list " + id)) {
            break;
          }
          node = load(m, node, 8);
        }
      }
    }
    int heldEntry = image.blockLayout().held();
    for (int t = 0; t < image.options().threads(); t++) {
      long b = image.threadBlock(t);
      long n = load(m, b + ThreadBlock.HELD_N, 8);
      for (long i = 0; i < n; i++) {
        long e = b + heldEntry + 16 * i;
        int c = spec.kind() == WorkloadKind.SLAB ? (int) load(m, e + 8, 8) : -1;
        place(image, where, problems, load(m, e, 8), c, "thread " + t + " held " + i);
      }
    }
    for (int i = 0; i < where.length; i++) {
      if (where[i] == null) {
        problems.add(String.format(Locale.ROOT, "object %d (0x%x) is lost: in no slab, central"
            + " list or thread's hands", i, image.objectAddress(i)));
      }
    }
    List<Violation> v = new ArrayList<>();
    for (int i = 0; i < problems.size() && i < MAX_REPORTED; i++) {
      v.add(new Violation(Violation.OBJECT_CONSERVATION, tick, -1, -1, problems.get(i)));
    }
    if (problems.size() > MAX_REPORTED) {
      v.add(new Violation(Violation.OBJECT_CONSERVATION, tick, -1, -1, String.format(Locale.ROOT,
          "... and %d more conservation problems", problems.size() - MAX_REPORTED)));
    }
    return v;
  }

  /** Records that {@code address} is at {@code place}; false when it is not an object. */
  private static boolean place(WorkloadImage image, String[] where, List<String> problems,
      long address, int sizeClass, String place) {
    int i = image.objectIndex(address);
    if (i < 0) {
      problems.add(String.format(Locale.ROOT, "%s holds 0x%x, which is no object", place,
          address));
      return false;
    }
    if (sizeClass >= 0 && image.objectClass(i) != sizeClass) {
      problems.add(String.format(Locale.ROOT, "%s holds object %d of class %d", place, i,
          image.objectClass(i)));
    }
    if (where[i] != null) {
      problems.add(String.format(Locale.ROOT, "object %d (0x%x) is in two places: %s and %s", i,
          address, where[i], place));
      return false;
    }
    where[i] = place;
    return true;
  }
}
