package org.vcpusim.scenarios.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A scenario file, read and checked by {@link ScenarioLoader}: the machine, the kernel settings,
 * the processes and their workloads, how long to run, the variants to compare, the checks and the
 * outputs. Immutable; every reference between sections (a process's workload) has been resolved
 * and every variant filled from the kernel defaults, so a runner never meets a missing value.
 *
 * <p>The format is documented key by key in {@code docs/scenario-format.md}.
 *
 * @param name the scenario's name, {@code [a-z0-9-]+}
 * @param description one or more sentences for the report; empty when absent
 * @param seed the run seed every random stream derives from
 * @param machine the simulated computer
 * @param kernel the kernel settings variants start from
 * @param processes the process groups, in file order
 * @param workloads the workloads, in file order
 * @param duration how long each variant runs
 * @param variants the variants, in file order (the four ABIs by default)
 * @param checks which checks run and fail
 * @param outputs optional outputs
 * @param source the file name errors and reports name
 */
public record Scenario(
    String name,
    String description,
    long seed,
    MachineSpec machine,
    KernelSpec kernel,
    List<ProcessGroupSpec> processes,
    List<WorkloadSpec> workloads,
    DurationSpec duration,
    List<VariantSpec> variants,
    CheckSpec checks,
    OutputSpec outputs,
    String source) {

  /** The seed of a file without {@code seed:}. */
  public static final long DEFAULT_SEED = 1;
  /**
   * Most threads in a scenario: 4096, sixteen per CPU of the largest machine; beyond that a run
   * at a few million simulated instructions per second would not finish in a session.
   */
  public static final int MAX_TOTAL_THREADS = 4_096;

  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(kernel, "kernel");
    processes = List.copyOf(processes);
    workloads = List.copyOf(workloads);
    Objects.requireNonNull(duration, "duration");
    variants = List.copyOf(variants);
    Objects.requireNonNull(checks, "checks");
    Objects.requireNonNull(outputs, "outputs");
    Objects.requireNonNull(source, "source");
    if (processes.isEmpty() || variants.isEmpty()) {
      throw new IllegalArgumentException("a scenario needs processes and variants");
    }
    for (ProcessGroupSpec p : processes) {
      if (workloads.stream().noneMatch(w -> w.name().equals(p.workload()))) {
        throw new IllegalArgumentException("process group " + p.name() + " names workload "
            + p.workload() + ", which is not defined");
      }
    }
  }

  /** The workload called {@code workloadName}, if any. */
  public Optional<WorkloadSpec> workload(String workloadName) {
    return workloads.stream().filter(w -> w.name().equals(workloadName)).findFirst();
  }

  /** The workload the threads of {@code group} run. */
  public WorkloadSpec workloadOf(ProcessGroupSpec group) {
    return workload(group.workload()).orElseThrow();
  }

  /** The variant called {@code variantName}, if any. */
  public Optional<VariantSpec> variant(String variantName) {
    return variants.stream().filter(v -> v.name().equals(variantName)).findFirst();
  }

  /** Threads of all processes of all groups. */
  public int totalThreads() {
    return processes.stream().mapToInt(ProcessGroupSpec::totalThreads).sum();
  }

  /** This scenario with another seed ({@code --seed}). */
  public Scenario withSeed(long newSeed) {
    return new Scenario(name, description, newSeed, machine, kernel, processes, workloads,
        duration, variants, checks, outputs, source);
  }

  /** This scenario with another duration (tests shorten runs with it). */
  public Scenario withDuration(DurationSpec newDuration) {
    return new Scenario(name, description, seed, machine, kernel, processes, workloads,
        newDuration, variants, checks, outputs, source);
  }

  /** This scenario with other outputs ({@code --trace}). */
  public Scenario withOutputs(OutputSpec newOutputs) {
    return new Scenario(name, description, seed, machine, kernel, processes, workloads,
        duration, variants, checks, newOutputs, source);
  }

  /**
   * This scenario with only the named variants, in the order given ({@code --variants a,b}).
   *
   * @throws ScenarioException naming the unknown variant and the ones this scenario has
   */
  public Scenario withVariants(List<String> names) {
    List<VariantSpec> chosen = new ArrayList<>();
    for (String n : names) {
      VariantSpec v = variant(n).orElseThrow(() -> new ScenarioException(source,
          "no variant '" + n + "'; this scenario has " + variantNames()));
      if (!chosen.contains(v)) {
        chosen.add(v);
      }
    }
    return new Scenario(name, description, seed, machine, kernel, processes, workloads,
        duration, chosen, checks, outputs, source);
  }

  private String variantNames() {
    StringJoiner j = new StringJoiner(", ");
    variants.forEach(v -> j.add(v.name()));
    return j.toString();
  }
}
