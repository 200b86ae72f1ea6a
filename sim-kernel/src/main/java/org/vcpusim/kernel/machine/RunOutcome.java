package org.vcpusim.kernel.machine;

/** Why a {@link Machine} run returned. */
public enum RunOutcome {
  /** Simulated time reached the requested end. */
  TIME_LIMIT,
  /** {@link Machine#stop()} was called during the run. */
  STOPPED,
  /** No task is left alive; the clock stands where the last CPU finished its kernel work. */
  ALL_EXITED
}
