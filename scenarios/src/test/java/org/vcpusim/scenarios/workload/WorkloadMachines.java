package org.vcpusim.scenarios.workload;

import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.MachineConfig;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.topology.CpuTopology;

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

  /**
   * A stand-in for the kernel's GS-mode population (written in another branch): on every return to
   * user, GS base = origin + stride × mm_cid. Installed at the EXTENSION stage, where the kernel's
   * step will go.
   */
  static void emulateGsMode(Machine m, WorkloadImage image) {
    long origin = image.options().origin();
    long stride = image.options().stride();
    m.returnToUser().install(ReturnToUser.Stage.EXTENSION, new ReturnToUser.Step() {
      @Override
      public String name() {
        return "test_gs_mode";
      }

      @Override
      public void run(ExitToUser exit) {
        exit.task().context().setGsBase(origin + stride * m.mmCid(exit.task()));
      }
    });
  }
}
