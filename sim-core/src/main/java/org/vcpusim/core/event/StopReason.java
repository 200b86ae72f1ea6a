package org.vcpusim.core.event;

/** Why a {@link Simulation} run loop returned. */
public enum StopReason {
  /** No event was left to run. */
  QUEUE_EMPTY,
  /** Every event up to the requested tick ran and the clock was set to that tick. */
  TICK_LIMIT,
  /** The requested number of events ran. */
  EVENT_LIMIT,
  /** A handler (or the caller, before the run) called {@link Simulation#stop()}. */
  STOPPED
}
