package org.vcpusim.kernel.gsmode;

/**
 * What {@code arch_prctl(ARCH_SET_GS)} does while the caller's mm is in {@link
 * GsModeAbi#GS_INDEX_MODE_MM_VCPU} mode. The proposal (reference kernel.md §6) leaves the question
 * open; it names Wine, which keeps its own data at the GS base, as a user that would need the mode
 * off.
 */
public enum GsConflictPolicy {
  /**
   * The call fails with {@code -EBUSY} and the GS base is unchanged: a library that wants GS learns
   * at once that it is taken. The default.
   */
  REFUSE,
  /**
   * The call succeeds, and the next return to user — the return from this very call — silently
   * replaces the base with the mode's ({@code gs_mode.overwritten} counts it): the library's later
   * {@code %gs:} accesses land in per-vCPU data. Models a kernel that does not know about the
   * conflict; {@link GsAccessChecker} reports the redirected accesses.
   */
  OVERWRITE
}
