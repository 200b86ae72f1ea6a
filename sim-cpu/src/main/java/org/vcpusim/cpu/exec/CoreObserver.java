package org.vcpusim.cpu.exec;

import org.vcpusim.cpu.isa.Segment;

/**
 * Watches a core's retired instructions: checkers (per-id region ownership, GS accesses inside the
 * stride) and tracers. Callbacks come after the instruction retired and after the timing model
 * charged it, memory accesses first in program order, then {@link #onRetire}. Faulting instructions
 * produce no callback. Both methods default to doing nothing.
 *
 * <p>A core holds at most one observer and skips all of this when it has none, so an idle hook
 * costs one null check per instruction.
 */
public interface CoreObserver {
  /**
   * One memory access of the retired instruction at {@code rip}.
   *
   * @param address linear address (segment base included)
   * @param size bytes accessed
   * @param write true for a store
   * @param segment the segment override used ({@link Segment#NONE} for stack accesses)
   */
  default void onMemoryAccess(
      Core core, long address, int size, boolean write, Segment segment, long rip) {}

  /** The retired instruction; the record is reused after the call returns. */
  default void onRetire(Core core, ExecutionRecord record) {}
}
