package org.vcpusim.kernel.gsmode;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntFunction;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.syscall.SyscallNumbers;
import org.vcpusim.kernel.syscall.SyscallTable;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * The GS mode's state: the mode of each mm (keyed by pid) and what the kernel knows of each
 * task's GS base (keyed by tid), with the lifecycle rules. The rules of the calls are in {@link
 * GsModePrctl} and {@link ArchPrctl}, the population in {@link GsPopulation}, the costs in {@link
 * GsCosts}, the check in {@link GsAccessChecker}; docs/abi.md is the user-facing contract.
 *
 * <p><b>Per mm.</b> The mode ({@link #mode}) belongs to the memory space, as the proposal's
 * {@code mm->gs_mode} would (reference kernel.md §6): every thread sees it. {@link #onFork}: a
 * forked child's mm copies it (as {@code dup_mm()} copies {@code mm->context}); {@link #onExec}:
 * the new image starts with the mode off (as {@code exec_mmap()} gives it a fresh mm); {@link
 * #onMmRelease}: dropped with the mm. Each change of an mm's mode bumps its generation, so that a
 * task counts as populated ({@link #isPopulated}) only once it has returned to user under the
 * current mode.
 *
 * <p><b>Per task.</b> Whether the task owns its GS base through {@code arch_prctl(ARCH_SET_GS)} with
 * a non-zero base ({@link #ownsGs}; {@code PT_SET_GS_MODE} then fails with {@code -EBUSY});
 * whether an {@code ARCH_SET_GS} under {@link GsConflictPolicy#OVERWRITE} awaits being overwritten;
 * the base the kernel last wrote ({@link GsPopulation} tells a user {@code wrgsbase} from a cid
 * change by it); and the task's claim on GS ({@link #claimBase}): the base it set itself, by {@code
 * ARCH_SET_GS} or a {@code wrgsbase} the checker saw, while its mm was in the mode. A claim ends
 * with {@code ARCH_SET_GS(0)}, a change of the mm's mode, exec or exit.
 *
 * <p><b>Caveats:</b> per-tid and per-pid arrays grow with the highest id seen (ids are never
 * reused). Not thread-safe; one instance per machine.
 */
public final class GsMode {
  /** Initial capacity of the per-id arrays; they double as higher ids appear. */
  private static final int INITIAL_IDS = 64;

  private final KernelServices kernel;
  private final GsModeConfig config;
  private final GsCosts costs;
  private final Runnable firstEnable;
  private boolean everEnabled;

  private GsModeArgs[] mode = new GsModeArgs[INITIAL_IDS];
  private int[] generation = new int[INITIAL_IDS];
  private int nextGeneration = 1;

  private boolean[] ownsGs = new boolean[INITIAL_IDS];
  private boolean[] archSetPending = new boolean[INITIAL_IDS];
  private boolean[] written = new boolean[INITIAL_IDS];
  private long[] lastWritten = new long[INITIAL_IDS];
  private int[] populatedGeneration = new int[INITIAL_IDS];
  private boolean[] claimed = new boolean[INITIAL_IDS];
  private long[] claimBase = new long[INITIAL_IDS];
  private String[] claimSource = new String[INITIAL_IDS];

  /**
   * A subsystem; see {@link #install} for the usual wiring.
   *
   * @param costs the cost regime and its figures
   * @param firstEnable run once, when the first mm enters {@link GsModeAbi#GS_INDEX_MODE_MM_VCPU}
   *     mode (the machine installs the access checker then)
   */
  public GsMode(KernelServices kernel, GsModeConfig config, GsCosts costs, Runnable firstEnable) {
    this.kernel = Objects.requireNonNull(kernel);
    this.config = Objects.requireNonNull(config);
    this.costs = Objects.requireNonNull(costs);
    this.firstEnable = Objects.requireNonNull(firstEnable);
  }

  /**
   * Builds the subsystem and wires it into a machine: {@code prctl} (157) as {@link GsModePrctl}
   * with the libc wrapper's tunable from {@code tunableOfPid}, {@code arch_prctl} (158) as {@link
   * ArchPrctl}, and {@link GsPopulation} at {@link ReturnToUser.Stage#EXTENSION}. The caller adds
   * {@link #costs()} as a scheduling observer (for the switch-path figures) and tells the subsystem
   * of forks, execs, exits and released mms.
   *
   * @param fsgsbase whether the CPUs have FSGSBASE (the cost regime of GS-base writes)
   */
  public static GsMode install(SyscallTable table, ReturnToUser returnToUser,
      KernelServices kernel, GsModeConfig config, CpuProfile.KernelCosts kernelCosts,
      CpuProfile.SystemInstructions system, boolean fsgsbase,
      IntFunction<GsModeTunable> tunableOfPid, Runnable firstEnable) {
    GsCosts costs = new GsCosts(kernel, kernelCosts, fsgsbase);
    GsMode gs = new GsMode(kernel, config, costs, firstEnable);
    costs.bind(gs);
    table.register(SyscallNumbers.PRCTL, "prctl", new GsModePrctl(gs, tunableOfPid));
    table.register(SyscallNumbers.ARCH_PRCTL, "arch_prctl",
        new ArchPrctl(gs, kernelCosts, system, fsgsbase));
    returnToUser.install(ReturnToUser.Stage.EXTENSION, new GsPopulation(gs));
    return gs;
  }

  public GsModeConfig config() {
    return config;
  }

  /** The cost regime and the figures of GS-base writes and switch-path loads. */
  public GsCosts costs() {
    return costs;
  }

  KernelServices kernel() {
    return kernel;
  }

  // ------------------------------------------------------------------ per mm

  /** The mode of the mm of process {@code pid}; {@link GsModeArgs#OFF} when it has none. */
  public GsModeArgs mode(int pid) {
    GsModeArgs m = pid >= 0 && pid < mode.length ? mode[pid] : null;
    return m != null ? m : GsModeArgs.OFF;
  }

  /** True when process {@code pid}'s mm is in {@link GsModeAbi#GS_INDEX_MODE_MM_VCPU} mode. */
  public boolean isMmVcpu(int pid) {
    return pid >= 0 && pid < mode.length && mode[pid] != null;
  }

  /**
   * Sets the mode of {@code p}'s mm ({@code PT_SET_GS_MODE} after its checks passed): {@code args}
   * in {@link GsModeAbi#GS_INDEX_MODE_MM_VCPU} mode, or off for {@link GsModeAbi#GS_INDEX_MODE_NONE}.
   * Every claim of its threads ends.
   */
  void setMode(Process p, GsModeArgs args) {
    int pid = p.pid();
    ensurePid(pid);
    mode[pid] = args.isMmVcpu() ? args : null;
    generation[pid] = nextGeneration++;
    for (Task t : p.threads()) {
      unclaim(t.tid());
    }
    if (args.isMmVcpu()) {
      kernel.count("gs_mode.enabled", 1);
      if (!everEnabled) {
        everEnabled = true;
        firstEnable.run();
      }
    } else {
      kernel.count("gs_mode.disabled", 1);
    }
  }

  /** {@code fork()}: the child's mm copies the parent's mode; its task the parent's GS knowledge. */
  public void onFork(Task parent, Task child) {
    int ppid = parent.process().pid();
    int cpid = child.process().pid();
    ensurePid(Math.max(ppid, cpid));
    mode[cpid] = isMmVcpu(ppid) ? mode[ppid] : null;
    generation[cpid] = nextGeneration++;
    int p = parent.tid();
    int c = child.tid();
    ensureTid(Math.max(p, c));
    ownsGs[c] = ownsGs[p];
    written[c] = written[p];
    lastWritten[c] = lastWritten[p];
    claimed[c] = claimed[p];
    claimBase[c] = claimBase[p];
    claimSource[c] = claimSource[p];
  }

  /** {@code execve()} by {@code task}: the new image's mm starts with the mode off. */
  public void onExec(Task task) {
    int pid = task.process().pid();
    ensurePid(pid);
    mode[pid] = null;
    generation[pid] = nextGeneration++;
    clearTask(task.tid());
  }

  /** {@code task} exited: what the kernel knew of its GS base goes. */
  public void onExit(Task task) {
    clearTask(task.tid());
  }

  /** The mm of {@code p} was released with its last thread. */
  public void onMmRelease(Process p) {
    if (p.pid() < mode.length) {
      mode[p.pid()] = null;
    }
  }

  // ------------------------------------------------------------------ per task

  /** True when {@code tid} set a non-zero GS base with {@code ARCH_SET_GS} and still holds it. */
  public boolean ownsGs(int tid) {
    return tid < ownsGs.length && ownsGs[tid];
  }

  /**
   * True when {@code tid} has returned to user since its mm entered its current {@link
   * GsModeAbi#GS_INDEX_MODE_MM_VCPU} mode, so that its GS base is the mode's (unless user space
   * wrote it since).
   */
  public boolean isPopulated(Task task) {
    int tid = task.tid();
    int pid = task.process().pid();
    return isMmVcpu(pid) && tid < populatedGeneration.length
        && populatedGeneration[tid] == generation[pid];
  }

  /** True when {@code tid} claims GS for itself (see the class comment). */
  public boolean hasClaim(int tid) {
    return tid < claimed.length && claimed[tid];
  }

  /** The base {@code tid} claimed; meaningful when {@link #hasClaim}. */
  public long claimBase(int tid) {
    return claimBase[tid];
  }

  /** How the claim was made: "arch_prctl" or "wrgsbase". */
  public String claimSource(int tid) {
    return claimSource[tid];
  }

  /** Records that {@code task}, in the mode, set its GS base to {@code base} by {@code source}. */
  void claim(Task task, long base, String source) {
    int tid = task.tid();
    ensureTid(tid);
    claimed[tid] = true;
    claimBase[tid] = base;
    claimSource[tid] = source;
  }

  /** {@code ARCH_SET_GS(base)} succeeded for {@code task}. */
  void archSetGs(Task task, long base) {
    int tid = task.tid();
    ensureTid(tid);
    ownsGs[tid] = base != 0;
    if (base == 0) {
      unclaim(tid);
      archSetPending[tid] = false;
    } else if (isMmVcpu(task.process().pid())) {
      archSetPending[tid] = true;
      claim(task, base, "arch_prctl");
    }
  }

  /**
   * The population step reached {@code task} in the mode: returns and clears whether an {@code
   * ARCH_SET_GS} value is what it is about to overwrite.
   */
  boolean takeArchSetPending(Task task) {
    int tid = task.tid();
    ensureTid(tid);
    boolean pending = archSetPending[tid];
    archSetPending[tid] = false;
    return pending;
  }

  /** The base the kernel last wrote for {@code tid}, if {@link #hasWritten}. */
  long lastWritten(int tid) {
    return lastWritten[tid];
  }

  boolean hasWritten(int tid) {
    return tid < written.length && written[tid];
  }

  /** The population step ran for {@code task}; {@code base} is its GS base now. */
  void populated(Task task, long base, boolean wrote) {
    int tid = task.tid();
    ensureTid(tid);
    populatedGeneration[tid] = generation[task.process().pid()];
    if (wrote) {
      written[tid] = true;
      lastWritten[tid] = base;
    }
  }

  private void unclaim(int tid) {
    if (tid < claimed.length) {
      claimed[tid] = false;
      claimSource[tid] = null;
    }
  }

  private void clearTask(int tid) {
    if (tid >= ownsGs.length) {
      return;
    }
    ownsGs[tid] = false;
    archSetPending[tid] = false;
    written[tid] = false;
    lastWritten[tid] = 0;
    populatedGeneration[tid] = 0;
    unclaim(tid);
  }

  private void ensurePid(int pid) {
    if (pid >= mode.length) {
      int n = Math.max(pid + 1, mode.length * 2);
      mode = Arrays.copyOf(mode, n);
      generation = Arrays.copyOf(generation, n);
    }
  }

  private void ensureTid(int tid) {
    if (tid >= ownsGs.length) {
      int n = Math.max(tid + 1, ownsGs.length * 2);
      ownsGs = Arrays.copyOf(ownsGs, n);
      archSetPending = Arrays.copyOf(archSetPending, n);
      written = Arrays.copyOf(written, n);
      lastWritten = Arrays.copyOf(lastWritten, n);
      populatedGeneration = Arrays.copyOf(populatedGeneration, n);
      claimed = Arrays.copyOf(claimed, n);
      claimBase = Arrays.copyOf(claimBase, n);
      claimSource = Arrays.copyOf(claimSource, n);
    }
  }
}
