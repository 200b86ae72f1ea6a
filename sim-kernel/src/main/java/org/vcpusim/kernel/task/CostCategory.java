package org.vcpusim.kernel.task;

/**
 * The cycle-stack categories every charged cycle falls in; a report's stacked chart shows one bar
 * per category (DESIGN.md, result.json {@code cycle_stack}).
 */
public enum CostCategory {
  /** User instructions of the measured fast path. */
  FAST_PATH,
  /** User instructions re-executed after an rseq abort (the abort handler and the restart). */
  ABORT_RESTART,
  /** User instructions of slow paths (refill, drain, spin). */
  SLOW_PATH,
  /** Context switches and scheduler work. */
  KERNEL_SWITCH,
  /** Syscall entry/exit, interrupt entry/exit, and the return-to-user steps. */
  RETURN_TO_USER,
  /** Writes of the GS base that the GS mode adds. */
  GS_WRITE,
  /** membarrier syscalls and the IPIs they send. */
  MEMBARRIER,
  /** Idle CPU time. */
  IDLE
}
