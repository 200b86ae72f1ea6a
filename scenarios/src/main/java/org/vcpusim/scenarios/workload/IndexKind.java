package org.vcpusim.scenarios.workload;

/** What indexes per-id regions: the CPU number ({@code cpu_id}) or the concurrency id ({@code mm_cid}). */
public enum IndexKind {
  CPU_ID,
  MM_CID
}
