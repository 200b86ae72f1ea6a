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
 */
public record PerIdRegions(String name, long base, long stride, int count, Index index) {
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

  public PerIdRegions {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(index, "index");
    if (stride <= 0 || count <= 0) {
      throw new IllegalArgumentException("stride and count must be positive: " + stride + ", "
          + count);
    }
    if (base < 0 || Math.multiplyHigh(stride, count) != 0
        || base + stride * count < base) {
      throw new IllegalArgumentException("regions from " + base + " overflow the address space");
    }
  }

  /** The first address past the last region. */
  public long end() {
    return base + stride * count;
  }
}
