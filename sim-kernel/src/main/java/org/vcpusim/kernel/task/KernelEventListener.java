package org.vcpusim.kernel.task;

/**
 * Kernel events that checkers, tracers and reports watch but that no scheduling hook carries: an
 * rseq critical section aborted, a task's concurrency id changed, the GS base was written by the
 * kernel. Subsystems emit them through {@link KernelServices#events()} at the simulated time they
 * happen; the machine fans them out to every listener added with {@code Machine.addKernelEventListener}.
 *
 * <p>Causes and kinds are plain strings (lower case, the names reports print) so that this package
 * depends on no subsystem.
 *
 * <p><b>Caveats:</b> callbacks run inside the machine's loop: a listener must not call the machine's
 * control API. Not thread-safe.
 */
public interface KernelEventListener {
  /** A listener that ignores everything. */
  KernelEventListener NONE = new KernelEventListener() {};

  /**
   * The rseq fixup moved {@code task} from {@code ip}, inside its critical section, to {@code
   * abortIp}.
   *
   * @param cause the attributed cause: "preempt", "signal", "migrate" or "membarrier"
   */
  default void rseqAbort(long tick, int cpu, Task task, String cause, long ip, long abortIp) {}

  /** {@code task}, switched in on {@code cpu}, holds concurrency id {@code newCid} ≠ {@code oldCid}. */
  default void cidChanged(long tick, int cpu, Task task, int oldCid, int newCid) {}

  /**
   * The kernel wrote {@code task}'s GS base on {@code cpu} (GS-mode population, or any other kernel
   * write a subsystem reports), costing {@code cycles}.
   *
   * @param kind why: e.g. "gs_mode" for population on return to user, "arch_prctl"
   */
  default void gsBaseWritten(long tick, int cpu, Task task, long oldBase, long newBase, long cycles,
      String kind) {}
}
