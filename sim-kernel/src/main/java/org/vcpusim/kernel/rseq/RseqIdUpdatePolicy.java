package org.vcpusim.kernel.rseq;

/**
 * When the kernel writes the rseq id fields ({@code cpu_id_start}, {@code cpu_id}, {@code
 * node_id}, {@code mm_cid}) into the registered area on the way back to user mode.
 */
public enum RseqIdUpdatePolicy {
  /**
   * Through 6.18 (and for "V1" registrations after the 2026 fix b9eac6a9d93c): all four fields are
   * rewritten by every pass of {@code __rseq_handle_notify_resume()}, i.e. after every
   * preemption, migration and membarrier IPI, before every signal frame and after registration
   * (kernel/rseq.c {@code rseq_update_cpu_node_id()}, reference kernel.md §2.4). TCMalloc's cached
   * slab pointer depends on this (kernel.md §3.5).
   */
  LEGACY,
  /**
   * After the v6.19 rewrite ("rseq: Optimize exit to user space", kernel.md §3.2): the kernel caches
   * the ({@code cpu_id}, {@code mm_cid}) pair it last wrote for the task and writes the four fields
   * only when the pair differs ({@code rseq_set_ids_get_csaddr()}, include/linux/rseq_entry.h).
   * Signal delivery no longer rewrites them.
   */
  ON_CHANGE
}
