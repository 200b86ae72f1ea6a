package org.vcpusim.kernel.gsmode;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Task;

/**
 * Checks the {@code %gs:} accesses of tasks in {@link GsModeAbi#GS_INDEX_MODE_MM_VCPU} mode
 * (DESIGN.md "GS accesses inside the stride"; reference kernel.md §8 decisions 8 and 9). For a
 * task that has been populated under its mm's current mode ({@link GsMode#isPopulated}):
 *
 * <ul>
 *   <li><b>inside the stride</b>: every access {@code [a, a + size)} through {@code %gs:} must lie
 *       in {@code [origin + stride × cid, origin + stride × (cid + 1))} of the running task's cid;
 *       an access outside — through a base user space wrote with {@code wrgsbase}, or an offset
 *       beyond the stride — is a violation;
 *   <li><b>not redirected</b>: a task that claimed GS for itself while in the mode ({@code
 *       arch_prctl(ARCH_SET_GS)} under {@link GsConflictPolicy#OVERWRITE}, or a {@code wrgsbase}
 *       this checker saw retire) and whose base the kernel has since replaced, makes {@code %gs:}
 *       accesses that reach per-vCPU data instead of its own: a violation, though the address is
 *       inside the stride (the Wine-style hazard).
 * </ul>
 *
 * A violation is counted ({@code gs_mode.check_violations}) and reported to the {@link Sink} as
 * one finding per task and base: a loop repeating the same bad access makes one finding.
 *
 * <p><b>Caveats:</b> a {@link CoreObserver}, one instance shared by every core of a machine; it
 * learns the running task from {@link KernelServices#currentOn}. Faulting accesses reach no
 * observer: a {@code %gs:} access into unmapped memory is the fault's finding, not this one's.
 * Tasks not yet populated under the current mode are not checked (see {@link GsModePrctl}). Not
 * thread-safe.
 */
public final class GsAccessChecker implements CoreObserver {
  /** Where violations go (the machine turns them into findings). */
  @FunctionalInterface
  public interface Sink {
    void violation(long tick, int cpu, int tid, String message);
  }

  private static final int INITIAL_TIDS = 64;
  /** Reported-base sentinel of a task with no finding yet (no base is all ones). */
  private static final long NONE_REPORTED = -1L;

  private final GsMode gs;
  private final KernelServices kernel;
  private final Sink sink;
  private long[] reportedBase = filled(INITIAL_TIDS);
  private long violations;

  public GsAccessChecker(GsMode gs, Sink sink) {
    this.gs = Objects.requireNonNull(gs);
    this.kernel = gs.kernel();
    this.sink = Objects.requireNonNull(sink);
  }

  /** Violations seen so far (findings are fewer: one per task and base). */
  public long violations() {
    return violations;
  }

  @Override
  public void onMemoryAccess(
      Core core, long address, int size, boolean write, Segment segment, long rip) {
    if (segment != Segment.GS) {
      return;
    }
    Task t = kernel.currentOn(core.id());
    if (t == null || !gs.isPopulated(t)) {
      return;
    }
    int cid = kernel.mmCid(t);
    GsModeArgs mode = gs.mode(t.process().pid());
    long lo = mode.base(cid);
    long hi = lo + mode.stride();
    long base = t.context().gsBase();
    int tid = t.tid();
    String what;
    if (gs.hasClaim(tid) && base != gs.claimBase(tid)) {
      what = String.format(Locale.ROOT,
          "redirected: the task set its GS base to %#x (%s) but the GS mode replaced it with %#x",
          gs.claimBase(tid), gs.claimSource(tid), base);
    } else if (Long.compareUnsigned(address, lo) < 0
        || Long.compareUnsigned(address + size, hi) > 0) {
      what = String.format(Locale.ROOT, "outside the stride [%#x, %#x)", lo, hi);
    } else {
      return;
    }
    violations++;
    kernel.count("gs_mode.check_violations", 1);
    if (tid >= reportedBase.length) {
      int n = Math.max(tid + 1, reportedBase.length * 2);
      int old = reportedBase.length;
      reportedBase = Arrays.copyOf(reportedBase, n);
      Arrays.fill(reportedBase, old, n, NONE_REPORTED);
    }
    if (reportedBase[tid] == base) {
      return;
    }
    reportedBase[tid] = base;
    sink.violation(kernel.now(), core.id(), tid, String.format(Locale.ROOT,
        "GS access %s of %d bytes at %#x (rip %#x) by task %d (%s, pid %d) with GS base %#x,"
            + " cid %d, stride %#x, origin %#x: %s",
        write ? "write" : "read", size, address, rip, tid, t.name(), t.process().pid(), base, cid,
        mode.stride(), mode.origin(), what));
  }

  /** A {@code wrgsbase} of a task in the mode claims GS for the task. */
  @Override
  public void onRetire(Core core, ExecutionRecord record) {
    if (record.insn.opcode != Opcode.WRGSBASE) {
      return;
    }
    Task t = kernel.currentOn(core.id());
    if (t != null && gs.isMmVcpu(t.process().pid())) {
      gs.claim(t, t.context().gsBase(), "wrgsbase");
    }
  }

  private static long[] filled(int n) {
    long[] a = new long[n];
    Arrays.fill(a, NONE_REPORTED);
    return a;
  }
}
