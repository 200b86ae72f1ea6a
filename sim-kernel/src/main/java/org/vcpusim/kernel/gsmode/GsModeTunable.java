package org.vcpusim.kernel.gsmode;

/**
 * The libc-style tunable of a process that keeps the GS mode off, as the proposal's second
 * tunable would ("another tunable could disable it, e.g. for Wine", reference kernel.md §6): with
 * {@link #DENY} the libc wrapper of {@code prctl(PT_SET_GS_MODE, ...)} refuses with {@code -EPERM}
 * without reaching the kernel's checks ({@code gs_mode.libc_refused} counts it). Kept across fork
 * and exec, as an environment tunable ({@code GLIBC_TUNABLES}) is.
 */
public enum GsModeTunable {
  /** The wrapper passes {@code PT_SET_GS_MODE} on to the kernel. The default. */
  ALLOW,
  /** The wrapper refuses {@code PT_SET_GS_MODE} with {@code -EPERM}. */
  DENY
}
