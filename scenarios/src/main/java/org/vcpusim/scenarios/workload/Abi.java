package org.vcpusim.scenarios.workload;

import java.util.Locale;

/**
 * The four ABI variants a report compares (DESIGN.md, "The ABI variants"): how a workload's fast
 * path finds its per-id region. The instruction shapes are userspace.md §6 (Pop row by row) and
 * §1.5 (the cached-slab variant); the assembly lives in {@code
 * scenarios/src/main/resources/org/vcpusim/scenarios/workloads/}.
 */
public enum Abi {
  /** {@code __rseq_offset} → {@code %fs:cpu_id} → {@code slabs + (id << shift)} (§6 column a). */
  RSEQ_CPU("rseq-cpu", IndexKind.CPU_ID, false, true),
  /** The same through {@code %fs:mm_cid} (§6 column b). */
  RSEQ_MM_CID("rseq-mm_cid", IndexKind.MM_CID, false, false),
  /**
   * TCMalloc since 2023: the region address cached in a TLS word over {@code cpu_id_start} with
   * a valid bit, refreshed in a slow path; the program registers its own rseq area (glibc's
   * registration off, {@code glibc.pthread.rseq=0}), as TCMalloc must (userspace.md §1.6).
   */
  RSEQ_CPU_CACHED("rseq-cpu-cached", IndexKind.CPU_ID, true, true),
  /** GS mode: {@code %gs:} operands, no id load (§6 column c). */
  GS_MM_CID("gs-mm_cid", IndexKind.MM_CID, false, false);

  private final String abiName;
  private final IndexKind indexKind;
  private final boolean ownRseq;
  private final boolean targetedFence;

  Abi(String abiName, IndexKind indexKind, boolean ownRseq, boolean targetedFence) {
    this.abiName = abiName;
    this.indexKind = indexKind;
    this.ownRseq = ownRseq;
    this.targetedFence = targetedFence;
  }

  /** The name scenario files and reports use. */
  public String abiName() {
    return abiName;
  }

  /** What indexes the per-id regions. */
  public IndexKind indexKind() {
    return indexKind;
  }

  /** Whether the program registers its own rseq area (libc's registration is then off). */
  public boolean ownRseq() {
    return ownRseq;
  }

  /**
   * Whether a drain fences only the CPU of the id ({@code MEMBARRIER_CMD_FLAG_CPU}): possible when
   * ids are CPU numbers; with concurrency ids the CPU holding an id is unknown and every CPU is
   * fenced (TCMalloc {@code FenceCpu} with virtual CPUs, userspace.md §1.7).
   */
  public boolean targetedFence() {
    return targetedFence;
  }

  /** The variant named {@code name}. */
  public static Abi byName(String name) {
    for (Abi a : values()) {
      if (a.abiName.equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown ABI variant '" + name + "' (known: rseq-cpu,"
        + " rseq-mm_cid, rseq-cpu-cached, gs-mm_cid)");
  }

  @Override
  public String toString() {
    return abiName.toLowerCase(Locale.ROOT);
  }
}
