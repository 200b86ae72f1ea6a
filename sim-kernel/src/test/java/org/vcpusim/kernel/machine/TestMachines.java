package org.vcpusim.kernel.machine;

import java.util.function.Consumer;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.asm.Assembler;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.sched.SchedParams;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * Machines and programs for the tests of the machine and of what runs on it (the checkers).
 *
 * <p>{@link #fastSched} shrinks the scheduler's periods by about 40x (a 100 µs tick, 300 µs
 * latency) so that preemption, balancing and sleeps happen within a few million simulated
 * instructions; the rules are the kernel's, only the constants differ.
 *
 * <p><b>Caveats:</b> test scaffolding.
 */
public final class TestMachines {
  public static final CpuProfile ZEN5 = CpuProfiles.load("zen5");

  private TestMachines() {}

  /** Scheduler tunables with a 100 µs tick, for tests that need many ticks in little time. */
  public static SchedParams fastSched(int nrCpus) {
    return new SchedParams(
        10_000,
        300 * Ticks.PER_MICROSECOND,
        50 * Ticks.PER_MICROSECOND,
        50 * Ticks.PER_MICROSECOND,
        Math.max(100, nrCpus * 25L) * Ticks.PER_MICROSECOND,
        ZEN5.kernel().contextSwitch());
  }

  /** A machine of {@code cpus} flat CPUs, fast scheduler, seed 1, then {@code tweak}. */
  public static Machine machine(int cpus, Consumer<MachineConfig.Builder> tweak) {
    MachineConfig.Builder b =
        MachineConfig.builder(CpuTopology.flat(cpus), ZEN5).sched(fastSched(cpus)).seed(1);
    tweak.accept(b);
    return new Machine(b.build());
  }

  public static Machine machine(int cpus) {
    return machine(cpus, b -> {});
  }

  /** Installs a return-to-user step named "probe" at the extension stage that calls {@code see}. */
  static void probeReturns(Machine m, Consumer<ExitToUser> see) {
    m.returnToUser().install(ReturnToUser.Stage.EXTENSION, new ReturnToUser.Step() {
      @Override
      public String name() {
        return "probe";
      }

      @Override
      public void run(ExitToUser exit) {
        see.accept(exit);
      }
    });
  }

  public static AssembledProgram asm(String source) {
    return Assembler.assemble(source, "test.s", UserLayout.programLayout());
  }

  /** The {@code size}-byte value at symbol {@code name} of {@code p}'s program. */
  public static long read(Process p, String name, int size) {
    return read(p, p.program().program().address(name), size);
  }

  public static long read(Process p, long address, int size) {
    AddressSpace s = p.addressSpace();
    long v = s.load(address, size);
    if (s.hasFault()) {
      s.clearFault();
      throw new AssertionError("cannot read 0x" + Long.toHexString(address) + " in " + p);
    }
    return v;
  }
}
