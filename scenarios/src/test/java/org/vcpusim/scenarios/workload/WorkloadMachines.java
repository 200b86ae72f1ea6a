package org.vcpusim.scenarios.workload;

import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.MachineConfig;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.topology.CpuTopology;
import org.vcpusim.scenarios.scenario.DisturbanceRates;
import org.vcpusim.scenarios.scenario.OpMix;
import org.vcpusim.scenarios.scenario.ThinkTime;
import org.vcpusim.scenarios.scenario.WorkloadKind;
import org.vcpusim.scenarios.scenario.WorkloadSpec;

/**
 * Machines for the workload tests: zen5, seed 1, and param_test's scheduler (a 10 µs tick and
 * 10 µs slices, sim-kernel's ParamTestCounterTest.paramSched) so that a run of a few hundred
 * microseconds sees many preemptions.
 *
 * <p><b>Caveats:</b> test scaffolding.
 */
final class WorkloadMachines {
  static final CpuProfile ZEN5 = CpuProfiles.load("zen5");

  private WorkloadMachines() {}

  static SchedParams paramSched() {
    return new SchedParams(100_000, 40 * Ticks.PER_MICROSECOND, 10 * Ticks.PER_MICROSECOND,
        10 * Ticks.PER_MICROSECOND, 50 * Ticks.PER_MICROSECOND, ZEN5.kernel().contextSwitch());
  }

  static Machine machine(int cpus, RseqIdUpdatePolicy policy) {
    return new Machine(MachineConfig.builder(CpuTopology.flat(cpus), ZEN5).seed(1)
        .sched(paramSched()).rseqPolicy(policy).build());
  }

  /** A workload of {@code kind}: mix {@code pop/push}, sizes as given, no think time. */
  static WorkloadSpec spec(WorkloadKind kind, int pop, int push, int sizeClasses,
      int slabCapacity, int objects, int batch, DisturbanceRates rates) {
    return new WorkloadSpec("test", kind, new OpMix(pop, push), sizeClasses, slabCapacity,
        objects, batch, ThinkTime.NONE, rates);
  }

  /** A 50/50 slab workload without disturbances. */
  static WorkloadSpec slab(int sizeClasses, int slabCapacity, int objects, int batch) {
    return spec(WorkloadKind.SLAB, 50, 50, sizeClasses, slabCapacity, objects, batch,
        DisturbanceRates.NONE);
  }
}
