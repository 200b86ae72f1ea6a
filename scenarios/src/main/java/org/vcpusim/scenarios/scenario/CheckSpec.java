package org.vcpusim.scenarios.scenario;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Which checks run and which make a variant fail ({@code checks:}). A disabled kind is not
 * checked at all; an enabled kind outside {@code fail_on} is checked and its violations reported,
 * but they do not change the verdict.
 *
 * @param disabled the kinds turned off, in {@link CheckKind} order, never {@link
 *     CheckKind#FATAL_SIGNAL}
 * @param failOnAll {@code fail_on: all}: every enabled kind fails the variant
 * @param failOn with {@code failOnAll} false, the kinds that fail the variant, in {@link CheckKind}
 *     order, none of them disabled; empty with {@code failOnAll}
 */
public record CheckSpec(List<CheckKind> disabled, boolean failOnAll, List<CheckKind> failOn) {
  /** Every check enabled, every violation fails. */
  public static final CheckSpec ALL = new CheckSpec(List.of(), true, List.of());

  public CheckSpec {
    disabled = sorted(disabled);
    failOn = sorted(failOn);
    if (disabled.contains(CheckKind.FATAL_SIGNAL)) {
      throw new IllegalArgumentException("fatal_signal cannot be disabled");
    }
    if (failOnAll && !failOn.isEmpty()) {
      throw new IllegalArgumentException("fail_on all with a list " + failOn);
    }
    for (CheckKind k : failOn) {
      if (disabled.contains(k)) {
        throw new IllegalArgumentException(k.spelling() + " both disabled and in fail_on");
      }
    }
  }

  /** Whether {@code kind} is checked. */
  public boolean enabled(CheckKind kind) {
    return !disabled.contains(kind);
  }

  /** Whether a violation of {@code kind} makes the variant fail. */
  public boolean fails(CheckKind kind) {
    return enabled(kind) && (failOnAll || failOn.contains(kind));
  }

  private static List<CheckKind> sorted(List<CheckKind> kinds) {
    Objects.requireNonNull(kinds, "kinds");
    EnumSet<CheckKind> set = EnumSet.noneOf(CheckKind.class);
    set.addAll(kinds);
    return List.copyOf(set);
  }
}
