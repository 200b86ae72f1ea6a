package org.vcpusim.kernel.mm;

import java.util.Map;
import java.util.TreeMap;
import org.vcpusim.cpu.mem.AddressSpace;

/**
 * The reserved ranges of one memory space, the simulator's list of {@code vm_area_struct}s: which
 * page ranges are taken (by the program image, stacks, TLS blocks, the machine's fixed pages and
 * {@code mmap}), independent of their permissions, which live in the {@link AddressSpace}. A range
 * may be reserved without being mapped (a stack guard page): it is then never handed out, and any
 * access to it faults.
 *
 * <p>Free space is found top-down, as the x86-64 {@code mmap} layout does ({@code
 * mm/mmap.c: vm_unmapped_area()} with {@code VM_UNMAPPED_AREA_TOPDOWN}): the highest page-aligned
 * gap below a ceiling that fits the request.
 *
 * <p>Ranges are kept in a {@link TreeMap} from start to end (exclusive); adjacent ranges are not
 * merged (no behaviour depends on it). Iteration is in address order, so results are deterministic.
 *
 * <p><b>Caveats:</b> not thread-safe; addresses must be page-aligned (callers check).
 */
public final class VmAreas {
  private final TreeMap<Long, Long> areas = new TreeMap<>();

  /** A deep copy (what {@code fork} gives the child, {@code dup_mmap()}). */
  public VmAreas copy() {
    VmAreas c = new VmAreas();
    c.areas.putAll(areas);
    return c;
  }

  /** Whether no reserved range meets {@code [start, end)}. */
  public boolean isFree(long start, long end) {
    Map.Entry<Long, Long> below = areas.lowerEntry(end);
    return below == null || below.getValue() <= start;
  }

  /** Whether every byte of {@code [start, end)} lies in some reserved range. */
  public boolean isCovered(long start, long end) {
    long at = start;
    while (at < end) {
      Map.Entry<Long, Long> e = areas.floorEntry(at);
      if (e == null || e.getValue() <= at) {
        return false;
      }
      at = e.getValue();
    }
    return true;
  }

  /** Reserves {@code [start, end)}, first releasing whatever part of it was reserved. */
  public void reserve(long start, long end) {
    release(start, end);
    areas.put(start, end);
  }

  /** Releases {@code [start, end)}, splitting ranges that straddle its ends. */
  public void release(long start, long end) {
    Map.Entry<Long, Long> e = areas.lowerEntry(end);
    while (e != null && e.getValue() > start) {
      long s = e.getKey();
      long t = e.getValue();
      areas.remove(s);
      if (s < start) {
        areas.put(s, start);
      }
      if (t > end) {
        areas.put(end, t);
      }
      e = areas.lowerEntry(Math.max(s, start));
    }
  }

  /**
   * The highest page-aligned start address {@code a} with {@code floor <= a}, {@code a + length <=
   * ceiling} and {@code [a, a + length)} free; -1 when there is none.
   *
   * @param length a positive multiple of the page size
   */
  public long findTopDown(long length, long ceiling, long floor) {
    long gapEnd = ceiling;
    Map.Entry<Long, Long> e = areas.lowerEntry(ceiling);
    while (true) {
      long gapStart = e == null ? floor : Math.max(floor, e.getValue());
      if (gapEnd - gapStart >= length) {
        return (gapEnd - length) & -(long) AddressSpace.PAGE_SIZE;
      }
      if (e == null || e.getKey() <= floor) {
        return -1;
      }
      gapEnd = Math.min(gapEnd, e.getKey());
      e = areas.lowerEntry(e.getKey());
    }
  }

  /** Number of reserved ranges. */
  public int size() {
    return areas.size();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (Map.Entry<Long, Long> e : areas.entrySet()) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(String.format(java.util.Locale.ROOT, "%#x-%#x", e.getKey(), e.getValue()));
    }
    return sb.append(']').toString();
  }
}
