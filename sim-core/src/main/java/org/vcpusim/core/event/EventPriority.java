package org.vcpusim.core.event;

/**
 * Named priorities of events that fall on the same tick: among events with equal ticks the lower
 * priority value runs first, and events with equal tick and priority run in the order they were
 * scheduled (see {@link EventQueue}).
 *
 * <p>The scheme follows gem5's {@code Event::Priority} (src/sim/eventq.hh; reference/anchors.md
 * section 1.1): a signed 8-bit range, 0 as the default, simulation control at the extremes, and a
 * written reason for every level. The model-specific levels encode one rule: <em>state changes
 * of a tick land before the decisions taken at that tick</em>. Interrupts are latched and
 * wake-ups enqueued before any CPU executes or the balancer looks at run queues, so the outcome of
 * a tick does not depend on which component happened to schedule its event first. Gaps are left
 * between levels so that a level can be inserted later without renumbering.
 *
 * <p>Any {@code int} in [{@link #MINIMUM}, {@link #MAXIMUM}] is a valid priority; prefer these
 * names.
 */
public final class EventPriority {

  /** Lowest valid value; nothing at the same tick can run before it. */
  public static final int MINIMUM = -128;

  /**
   * Debugger and checkpoint hooks, configuration switches made by the harness: they run before
   * any model activity of the tick so that the whole tick executes under the new setting (gem5
   * Debug_Enable_Pri -101, CPU_Switch_Pri -31).
   */
  public static final int SIMULATION_CONTROL = -100;

  /**
   * Delivery of an inter-processor interrupt (reschedule, function call such as a membarrier or
   * rseq IPI). Before the local timer because the x86 local APIC serves the highest pending vector
   * class first and the IPI vectors outrank the timer: RESCHEDULE_VECTOR 0xfd, CALL_FUNCTION_VECTOR
   * 0xfc versus LOCAL_TIMER_VECTOR 0xec (Linux arch/x86/include/asm/irq_vectors.h).
   */
  public static final int IPI_DELIVERY = -40;

  /**
   * Expiry of the periodic scheduler tick or of an hrtimer (local APIC timer interrupt). After
   * IPIs (lower vector class), before wake-ups: the tick accounts the time slice that ends now to
   * the task that ran in it, before a wake-up at the same instant can change the run queue.
   */
  public static final int TIMER_EXPIRY = -30;

  /**
   * A task becomes runnable (sleep end, futex wake, I/O completion). After interrupts, so that a
   * wake-up raised by an interrupt handler at this tick is still handled at this tick; before any
   * CPU step, so that a task woken at tick t is on its run queue when a CPU picks its next task at
   * tick t.
   */
  public static final int WAKEUP = -20;

  /** Events with no ordering requirement of their own (gem5 Default_Pri). */
  public static final int DEFAULT = 0;

  /**
   * A CPU executes its next instruction or instruction block. After every state change of the
   * tick so that the instruction observes latched interrupts and enqueued tasks, the same reason
   * as gem5's CPU_Tick_Pri 50: "CPU ticks must come after other associated CPU events".
   */
  public static final int CPU_STEP = 50;

  /**
   * Periodic load balancing between run queues. Linux runs it from SCHED_SOFTIRQ, raised by the
   * scheduler tick, so it follows the tick's accounting; it follows the CPU steps of the tick so
   * that a migration decided at tick t takes effect at the next instruction boundary, never in
   * the middle of tick t.
   */
  public static final int SCHED_BALANCE = 60;

  /**
   * Statistics sampling and dumps: they observe the state after all model activity of the tick
   * (gem5 Stat_Event_Pri 90).
   */
  public static final int STATS_SAMPLE = 90;

  /** Progress reports and host-speed probes: after statistics (gem5 Progress_Event_Pri 95). */
  public static final int PROGRESS = 95;

  /**
   * End of the simulation: last, so that every event of the final tick, statistics included, has
   * run (gem5 Sim_Exit_Pri 100).
   */
  public static final int SIMULATION_EXIT = 100;

  /** Highest valid value; runs after everything else at the same tick. */
  public static final int MAXIMUM = 127;

  private EventPriority() {}

  /** Whether {@code priority} lies in [{@link #MINIMUM}, {@link #MAXIMUM}]. */
  public static boolean isValid(int priority) {
    return priority >= MINIMUM && priority <= MAXIMUM;
  }
}
