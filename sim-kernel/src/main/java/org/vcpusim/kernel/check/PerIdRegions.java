package org.vcpusim.kernel.check;

import java.util.Objects;

/**
 * An array of per-id regions a scenario declares for one process: {@code count} regions of
 * {@code stride} bytes from {@code base}, region {@code i} belonging to the CPU or concurrency id
 * {@code i} — TCMalloc's per-CPU slabs, a librseq per-CPU counter array, a GS-mode per-vCPU area.
 *
 * @param name what reports call it, e.g. {@code "counters"}; region {@code i} is {@code name[i]}
 * @param base address of region 0
 * @param stride bytes per region (and the distance between regions)
 * @param count number of regions
 * @param index which id selects the region: {@link Index#CPU_ID} or {@link Index#MM_CID}
 * @param stopCodeStart start of the program's remote-stop code, or 0 (see below)
 * @param stopCodeEnd end (exclusive) of the remote-stop code, or 0
 *
 * <p><b>Remote-stop code.</b> TCMalloc before 2023 drained another CPU's slab with header locks
 * (percpu_tcmalloc.h@aeafe60d, {@code TcmallocSlab::Drain}): compare-and-swap every header of
 * the region to a locked value from a foreign CPU, fence ({@code membarrier} RSEQ), and re-lock
 * any header a section that was already past its checks committed over; repeat until a fence finds
 * every lock in place. That protocol writes a region while its owner's sections run, on purpose,
 * and validates itself: the per-id-region rule would report each commit over a lock as a lost
 * update. Accesses whose instruction lies in {@code [stopCodeStart, stopCodeEnd)} are therefore
 * neither validated nor counted as writes; the program's own end state (object conservation)
 * judges that code instead. Declare no range for code whose safety rests on the fence alone
 * (TCMalloc since 2023: stop flag, fence, drain), so that the checker still sees it fail when the
 * fence no longer invalidates a cached region.
 */
public record PerIdRegions(String name, long base, long stride, int count, Index index,
    long stopCodeStart, long stopCodeEnd) {
  /** The id a region is indexed by, spelled as the rseq field it comes from. */
  public enum Index {
    /** {@code rseq->cpu_id}: one region per CPU. */
    CPU_ID("cpu_id"),
    /** {@code rseq->mm_cid} (or the GS mode's id): one region per concurrency id. */
    MM_CID("mm_cid");

    private final String field;

    Index(String field) {
      this.field = field;
    }

    /** The rseq field's name. */
    public String field() {
      return field;
    }
  }

  /** Regions without remote-stop code. */
  public PerIdRegions(String name, long base, long stride, int count, Index index) {
    this(name, base, stride, count, index, 0, 0);
  }

  public PerIdRegions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(index, "index");
    if (Long.compareUnsigned(stopCodeStart, stopCodeEnd) > 0) {
      throw new IllegalArgumentException("remote-stop code range ends before it starts");
    }
    if (stride <= 0 || count <= 0) {
      throw new IllegalArgumentException("stride and count must be positive: " + stride + ", "
          + count);
    }
    if (base < 0 || Math.multiplyHigh(stride, count) != 0
        || base + stride * count < base) {
      throw new IllegalArgumentException("regions from " + base + " overflow the address space");
    }
  }

  /** These regions with {@code [start, end)} as their remote-stop code. */
  public PerIdRegions withStopCode(long start, long end) {
    return new PerIdRegions(name, base, stride, count, index, start, end);
  }

  /** Whether the instruction at {@code rip} is remote-stop code. */
  public boolean isStopCode(long rip) {
    return Long.compareUnsigned(rip - stopCodeStart, stopCodeEnd - stopCodeStart) < 0;
  }

  /** The first address past the last region. */
  public long end() {
    return base + stride * count;
  }
}
