package org.vcpusim.scenarios.workload;

/**
 * What a user instruction of a workload is, by where it lies; {@link OpMeter} turns these into the
 * user part of the cycle stack (and counts retired instructions after an abort as abort_restart).
 */
public enum CodeClass {
  /** The per-id routines a thread calls for each op (Pop, Push, counter, list, spinlock). */
  FAST_PATH,
  /** Slow paths: refill, return, cache refresh, the "try" variants, drains, central lists. */
  SLOW_PATH,
  /** rseq abort handlers (signature + jump back). */
  ABORT_HANDLER,
  /** The driver: op choice, records, mailbox, think loops, signal handler. */
  DRIVER,
  /** Not workload code. */
  NONE
}
