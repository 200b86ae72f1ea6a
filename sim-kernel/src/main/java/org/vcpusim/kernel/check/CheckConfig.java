package org.vcpusim.kernel.check;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.vcpusim.core.time.Ticks;

/**
 * Which ABI checkers a machine runs, and their one tunable; immutable. Every checker is on by
 * default ({@link #defaults()}): a run that breaks a rule says so without being asked.
 *
 * @param enabled the checkers that run
 * @param quietPeriodPs how long an mm must go without a fork, exit or affinity change before
 *     {@link CheckKind#CID_COMPACT} holds its allocator to the compact bound, in picoseconds
 */
public record CheckConfig(Set<CheckKind> enabled, long quietPeriodPs) {
  /**
   * The period of the 6.4–6.18 allocator's compaction scan ({@code MM_CID_SCAN_DELAY} = 100 ms,
   * kernel/sched/sched.h; reference kernel.md §2.6): the longest an id above a shrunk bound may
   * legitimately persist after the scan last ran.
   */
  public static final long MM_CID_SCAN_PERIOD_PS = 100 * Ticks.PER_MILLISECOND;

  /**
   * Default quiet period: two scan periods, so that at least one whole scan has run after the last
   * disturbance whatever the phase of the scan timer was.
   */
  public static final long DEFAULT_QUIET_PERIOD_PS = 2 * MM_CID_SCAN_PERIOD_PS;

  public CheckConfig {
    Objects.requireNonNull(enabled, "enabled");
    EnumSet<CheckKind> copy = EnumSet.noneOf(CheckKind.class);
    copy.addAll(enabled);
    enabled = Collections.unmodifiableSet(copy);
    if (quietPeriodPs < 0) {
      throw new IllegalArgumentException("negative quiet period " + quietPeriodPs);
    }
  }

  /** Every checker on, the default quiet period. */
  public static CheckConfig defaults() {
    return new CheckConfig(EnumSet.allOf(CheckKind.class), DEFAULT_QUIET_PERIOD_PS);
  }

  /** No checker. */
  public static CheckConfig none() {
    return new CheckConfig(EnumSet.noneOf(CheckKind.class), DEFAULT_QUIET_PERIOD_PS);
  }

  /** True when {@code kind} runs. */
  public boolean isEnabled(CheckKind kind) {
    return enabled.contains(kind);
  }

  /** This configuration with {@code kind} off. */
  public CheckConfig without(CheckKind kind) {
    EnumSet<CheckKind> s = EnumSet.noneOf(CheckKind.class);
    s.addAll(enabled);
    s.remove(kind);
    return new CheckConfig(s, quietPeriodPs);
  }

  /** This configuration with {@code kind} on. */
  public CheckConfig with(CheckKind kind) {
    EnumSet<CheckKind> s = EnumSet.noneOf(CheckKind.class);
    s.addAll(enabled);
    s.add(kind);
    return new CheckConfig(s, quietPeriodPs);
  }

  /** This configuration with a quiet period of {@code ps} picoseconds. */
  public CheckConfig withQuietPeriodPs(long ps) {
    return new CheckConfig(enabled, ps);
  }
}
