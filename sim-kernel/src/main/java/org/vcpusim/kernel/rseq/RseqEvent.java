package org.vcpusim.kernel.rseq;

/**
 * Why a task's rseq critical section may have to restart: the events that set a bit in the
 * kernel's per-task {@code rseq_event_mask} (include/linux/rseq.h through 6.18, {@code enum
 * rseq_event_mask_bits}) plus the simulator's own {@link #MEMBARRIER}, which the kernel folds into
 * {@link #PREEMPT} ({@code ipi_rseq()} calls {@code rseq_preempt(current)},
 * kernel/sched/membarrier.c) but which the simulator counts apart.
 *
 * <p>When several events are pending at an abort, the abort is attributed to one of them in
 * {@link #ATTRIBUTION_ORDER}, so that the per-cause abort counts add up to the number of aborts.
 */
public enum RseqEvent {
  /** {@code rseq_preempt()}: the task was switched out ({@code prepare_task_switch()}). */
  PREEMPT(Rseq.EVENT_PREEMPT_BIT),
  /** {@code rseq_signal_deliver()}: a signal frame is about to be built. */
  SIGNAL(Rseq.EVENT_SIGNAL_BIT),
  /** {@code rseq_migrate()}: {@code set_task_cpu()} moved the task to another CPU. */
  MIGRATE(Rseq.EVENT_MIGRATE_BIT),
  /** The membarrier {@code PRIVATE_EXPEDITED_RSEQ} IPI; the kernel records it as a preemption. */
  MEMBARRIER(Rseq.EVENT_PREEMPT_BIT);

  /**
   * Attribution priority: a signal is delivered on its own path; a membarrier IPI is the rarest
   * and the one a fence scenario wants to see; a migration always follows a switch-out, so it is
   * the more specific of the two scheduler events.
   */
  static final RseqEvent[] ATTRIBUTION_ORDER = {SIGNAL, MEMBARRIER, MIGRATE, PREEMPT};

  private final int kernelBit;

  RseqEvent(int kernelBit) {
    this.kernelBit = kernelBit;
  }

  /** The bit this event sets in the kernel's {@code rseq_event_mask}. */
  int kernelBit() {
    return kernelBit;
  }

  /** This event's bit in the simulator's cause set. */
  int causeBit() {
    return 1 << ordinal();
  }

  /** Lower-case name for counters, e.g. {@code "membarrier"}. */
  public String counterName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
