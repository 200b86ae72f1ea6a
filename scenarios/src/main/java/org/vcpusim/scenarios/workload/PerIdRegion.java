package org.vcpusim.scenarios.workload;

import org.vcpusim.kernel.check.PerIdRegions;

/**
 * The per-id regions of a workload, for the per-id-region checker and the footprint: region
 * {@code i} is {@code [base + i * stride, base + (i + 1) * stride)}, {@code 0 <= i < count},
 * indexed by {@code index} (the rseq field whose id selects the region).
 */
public record PerIdRegion(long base, long stride, int count, PerIdRegions.Index index) {
  public PerIdRegion {
    if (stride <= 0 || Long.bitCount(stride) != 1 || count <= 0) {
      throw new IllegalArgumentException("stride must be a power of two, count positive");
    }
  }

  /** One past the last region. */
  public long end() {
    return base + stride * count;
  }

  /** The region holding {@code address}, or -1. */
  public int regionOf(long address) {
    if (address < base || address >= end()) {
      return -1;
    }
    return (int) ((address - base) / stride);
  }

  /** The start of region {@code id}. */
  public long regionBase(int id) {
    return base + stride * id;
  }
}
