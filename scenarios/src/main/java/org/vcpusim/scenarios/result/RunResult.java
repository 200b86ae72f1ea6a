package org.vcpusim.scenarios.result;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a scenario run produced, from which {@code result.json}, {@code report.md} and
 * {@code report.html} are rendered (one object, so the three cannot disagree).
 *
 * <p>{@link #schema}, {@link #scenario}, {@link #seed}, {@link #variants} and {@link #host} are
 * {@code result.json} schema 1; {@link #echo} (and each variant's notes and each violation's
 * excerpt) are for the report only.
 *
 * @param schema the {@code result.json} schema version, {@link #SCHEMA}
 * @param scenario the scenario's name
 * @param seed the run seed every variant used
 * @param variants the variants in the order they ran; names unique
 * @param host how the host ran it (not deterministic)
 * @param echo the scenario text and settings the report echoes
 */
public record RunResult(int schema, String scenario, long seed, List<VariantResult> variants,
    HostInfo host, ScenarioEcho echo) {

  /** The schema version this code writes. */
  public static final int SCHEMA = 1;

  /** Validates and copies. */
  public RunResult {
    if (schema != SCHEMA) {
      throw new IllegalArgumentException("result schema " + schema + ", this code writes " + SCHEMA);
    }
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(echo, "echo");
    variants = List.copyOf(variants);
    Set<String> names = new HashSet<>();
    for (VariantResult v : variants) {
      if (!names.add(v.name())) {
        throw new IllegalArgumentException("variant " + v.name() + " appears twice");
      }
    }
  }

  /** A schema-{@value #SCHEMA} result. */
  public RunResult(String scenario, long seed, List<VariantResult> variants, HostInfo host,
      ScenarioEcho echo) {
    this(SCHEMA, scenario, seed, variants, host, echo);
  }

  /** Whether every variant ended with the verdict it expects (the run's exit code 0 vs 1). */
  public boolean asExpected() {
    for (VariantResult v : variants) {
      if (v.verdict(echo) != v.notes().expect()) {
        return false;
      }
    }
    return true;
  }
}
