package org.vcpusim.kernel.rseq;

import java.util.Objects;

/**
 * The rseq subsystem's parameters.
 *
 * @param policy when the id fields are written ({@link RseqIdUpdatePolicy})
 * @param featureSize the {@code AT_RSEQ_FEATURE_SIZE} the kernel advertises: the minimum length
 *     of a registration whose length is not {@link RseqAbi#ORIG_RSEQ_SIZE} ({@link
 *     RseqAbi#FEATURE_SIZE_6_3} = 28 for 6.3–6.18, the default; 32 or 33 for 2026 kernels)
 * @param idUpdateCycles cycles charged under {@code RETURN_TO_USER} each time the kernel writes
 *     the four id fields (one user-access region, four u32 stores); the machine passes the CPU
 *     profile's {@code kernel.rseqIdFieldWrite}
 * @param csCheckCycles cycles charged under {@code RETURN_TO_USER} each time the fixup finds a
 *     non-NULL {@code rseq_cs} and reads and validates the descriptor ({@code rseq_get_rseq_cs()}
 *     plus the signature load); a profile figure the machine passes in
 * @param debugRseq {@code CONFIG_DEBUG_RSEQ}'s syscall check: a system call issued from inside a
 *     critical section (or with an invalid {@code rseq_cs}) kills the task with SIGSEGV ({@code
 *     rseq_syscall()}, kernel/rseq.c); off by default, as in production kernels
 */
public record RseqConfig(
    RseqIdUpdatePolicy policy,
    int featureSize,
    long idUpdateCycles,
    long csCheckCycles,
    boolean debugRseq) {

  public RseqConfig {
    Objects.requireNonNull(policy, "policy");
    if (featureSize < RseqAbi.FEATURE_SIZE_6_3) {
      throw new IllegalArgumentException(
          "rseq feature size " + featureSize + " is below the 6.3 layout's 28 bytes");
    }
    if (idUpdateCycles < 0 || csCheckCycles < 0) {
      throw new IllegalArgumentException("negative rseq cost");
    }
  }

  /**
   * The 6.3–6.18 kernel: {@code policy}, feature size 28, debug checks off, and the two costs from
   * the profile.
   */
  public static RseqConfig of(RseqIdUpdatePolicy policy, long idUpdateCycles, long csCheckCycles) {
    return new RseqConfig(policy, RseqAbi.FEATURE_SIZE_6_3, idUpdateCycles, csCheckCycles, false);
  }

  /** This configuration with {@code CONFIG_DEBUG_RSEQ}'s syscall check switched on or off. */
  public RseqConfig withDebugRseq(boolean on) {
    return new RseqConfig(policy, featureSize, idUpdateCycles, csCheckCycles, on);
  }

  /** This configuration with another advertised feature size. */
  public RseqConfig withFeatureSize(int size) {
    return new RseqConfig(policy, size, idUpdateCycles, csCheckCycles, debugRseq);
  }
}
