package org.vcpusim.kernel.gsmode;

import java.util.Objects;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Task;

/**
 * What writing the GS base costs, in the two x86-64 regimes (reference kernel.md §5.1, §8
 * decision 7), and the figures a report shows of it: what the GS mode adds, and what the context
 * switch pays anyway.
 *
 * <p><b>Regimes.</b> With FSGSBASE the kernel writes the user GS base with {@code SWAPGS; WRGSBASE;
 * SWAPGS} ({@code __wrgsbase_inactive()}, arch/x86/kernel/process_64.c): profile {@code
 * kernel.wrgsbaseKernel}. Without it, with {@code WRMSR MSR_KERNEL_GS_BASE}: profile {@code
 * kernel.wrmsrGsBase}. The regime follows the profile's {@code features.fsgsbase}.
 *
 * <p><b>What the mode adds</b> ({@link #chargeWrite}): each population write is charged to {@link
 * CostCategory#GS_WRITE} at the regime's price; {@code gs_mode.writes}, {@code
 * gs_mode.write_cycles}, and {@code gs_mode.write_cycles_if_wrgsbase} / {@code
 * gs_mode.write_cycles_if_wrmsr} (the same writes priced in each regime, so that one run shows
 * both). {@code gs_mode.writes_after_switch_in} counts the writes on a return that follows a
 * switch-in: those a kernel could fold into the switch's own GS load at no extra write
 * (kernel.md §6, design consequence 1).
 *
 * <p><b>What the switch pays anyway</b> ({@link #switchIn}): {@code __switch_to()} loads the next
 * task's GS base on every switch-in with FSGSBASE ({@code x86_fsgsbase_load()}), and without it
 * with a WRMSR only when the base is non-zero ({@code load_seg_legacy()}). These loads are part of
 * the profile's context-switch figure and are not charged again; for switch-ins of tasks whose mm
 * is in the mode they are counted: {@code gs_mode.switch_loads} and {@code
 * gs_mode.switch_load_cycles} in this regime, {@code gs_mode.switch_load_cycles_if_wrgsbase} and
 * {@code gs_mode.switch_load_cycles_if_wrmsr} in each.
 *
 * <p><b>Caveats:</b> counters appear in the statistics once something was counted. Not
 * thread-safe; one instance per machine, bound to its {@link GsMode} before the first run.
 */
public final class GsCosts implements SchedObserver {
  /** How the kernel writes a user GS base. */
  public enum Regime {
    /** FSGSBASE: {@code SWAPGS; WRGSBASE; SWAPGS}. */
    WRGSBASE,
    /** No FSGSBASE: {@code WRMSR MSR_KERNEL_GS_BASE}, serializing. */
    WRMSR
  }

  private final KernelServices kernel;
  private final Regime regime;
  private final long[] cost = new long[Regime.values().length];
  private GsMode gs;

  private long writes;
  private long writesAfterSwitchIn;
  private final long[] writeCyclesIf = new long[Regime.values().length];
  private long switchLoads;
  private final long[] switchLoadCyclesIf = new long[Regime.values().length];

  /** Costs from the profile's kernel figures; {@code fsgsbase} picks the regime. */
  public GsCosts(KernelServices kernel, CpuProfile.KernelCosts costs, boolean fsgsbase) {
    this.kernel = Objects.requireNonNull(kernel);
    this.regime = fsgsbase ? Regime.WRGSBASE : Regime.WRMSR;
    cost[Regime.WRGSBASE.ordinal()] = costs.wrgsbaseKernel();
    cost[Regime.WRMSR.ordinal()] = costs.wrmsrGsBase();
  }

  void bind(GsMode mode) {
    this.gs = Objects.requireNonNull(mode);
  }

  /** The regime of this machine. */
  public Regime regime() {
    return regime;
  }

  /** Cycles of one kernel write of the user GS base in {@code r}. */
  public long writeCost(Regime r) {
    return cost[r.ordinal()];
  }

  /**
   * Charges one population write on {@code cpu} to {@link CostCategory#GS_WRITE} and counts it.
   *
   * @param afterSwitchIn whether the return follows a switch-in of the task
   * @return the cycles charged
   */
  long chargeWrite(int cpu, boolean afterSwitchIn) {
    long c = writeCost(regime);
    kernel.charge(cpu, c, CostCategory.GS_WRITE);
    writes++;
    kernel.count("gs_mode.writes", 1);
    kernel.count("gs_mode.write_cycles", c);
    if (afterSwitchIn) {
      writesAfterSwitchIn++;
      kernel.count("gs_mode.writes_after_switch_in", 1);
    }
    for (Regime r : Regime.values()) {
      writeCyclesIf[r.ordinal()] += cost[r.ordinal()];
      kernel.count("gs_mode.write_cycles_if_" + name(r), cost[r.ordinal()]);
    }
    return c;
  }

  /** Counts the GS-base load of the switch path for a task whose mm is in the mode. */
  @Override
  public void switchIn(int cpu, SchedTask next, long now) {
    Task t = kernel.task(next.id());
    if (t == null || !gs.isMmVcpu(t.process().pid())) {
      return;
    }
    long base = t.context().gsBase();
    long wrgsbase = cost[Regime.WRGSBASE.ordinal()];
    long wrmsr = base != 0 ? cost[Regime.WRMSR.ordinal()] : 0;
    switchLoadCyclesIf[Regime.WRGSBASE.ordinal()] += wrgsbase;
    switchLoadCyclesIf[Regime.WRMSR.ordinal()] += wrmsr;
    kernel.count("gs_mode.switch_load_cycles_if_wrgsbase", wrgsbase);
    kernel.count("gs_mode.switch_load_cycles_if_wrmsr", wrmsr);
    long here = regime == Regime.WRGSBASE ? wrgsbase : wrmsr;
    if (here != 0) {
      switchLoads++;
      kernel.count("gs_mode.switch_loads", 1);
      kernel.count("gs_mode.switch_load_cycles", here);
    }
  }

  /** Population writes so far. */
  public long writes() {
    return writes;
  }

  /** Population writes on a return that followed a switch-in. */
  public long writesAfterSwitchIn() {
    return writesAfterSwitchIn;
  }

  /** Cycles of the population writes in this machine's regime. */
  public long writeCycles() {
    return writeCyclesIf[regime.ordinal()];
  }

  /** Cycles the same population writes would cost in {@code r}. */
  public long writeCyclesIf(Regime r) {
    return writeCyclesIf[r.ordinal()];
  }

  /** Switch-path GS-base loads of tasks in the mode, in this regime. */
  public long switchLoads() {
    return switchLoads;
  }

  /** Cycles of those loads in this regime (already part of the context-switch cost). */
  public long switchLoadCycles() {
    return switchLoadCyclesIf[regime.ordinal()];
  }

  /** Cycles the switch path's GS loads of the same switch-ins would cost in {@code r}. */
  public long switchLoadCyclesIf(Regime r) {
    return switchLoadCyclesIf[r.ordinal()];
  }

  private static String name(Regime r) {
    return r == Regime.WRGSBASE ? "wrgsbase" : "wrmsr";
  }
}
