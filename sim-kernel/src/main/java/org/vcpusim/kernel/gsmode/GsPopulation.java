package org.vcpusim.kernel.gsmode;

import java.util.Objects;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.task.Task;

/**
 * GS population, the {@link ReturnToUser.Stage#EXTENSION} step of the GS mode: on every return to
 * user of a task whose mm is in {@link GsModeAbi#GS_INDEX_MODE_MM_VCPU} mode, its GS base becomes
 * {@code origin + stride × mm_cid} when it holds anything else — the proposal's "on return to
 * userspace, load GS with stride * current->mm_vcpu_id" (reference kernel.md §6), with the origin
 * of decision 8 (§8) — after the rseq ids are final, so that GS and {@code rseq->mm_cid} agree.
 *
 * <p>The value held is compared, not a cached cid, because with FSGSBASE user space may have
 * written the base since (kernel.md §6, consequence 2): the write re-asserts it. Each write is
 * charged by {@link GsCosts#chargeWrite} and reported to {@code gsBaseWritten(..., "gs_mode")}. A
 * write that replaces an {@code arch_prctl(ARCH_SET_GS)} value counts {@code gs_mode.overwritten};
 * one that replaces a value the kernel did not write (a user {@code wrgsbase}) counts {@code
 * gs_mode.reasserted}; the others follow a change of cid.
 *
 * <p><b>Caveats:</b> a task whose base already equals the mode's costs nothing here: its switch-in
 * loaded it ({@link GsCosts} counts that load apart).
 */
public final class GsPopulation implements ReturnToUser.Step {
  private final GsMode gs;

  GsPopulation(GsMode gs) {
    this.gs = Objects.requireNonNull(gs);
  }

  @Override
  public String name() {
    return "gs_mode";
  }

  @Override
  public void run(ExitToUser exit) {
    Task t = exit.task();
    int pid = t.process().pid();
    if (!gs.isMmVcpu(pid)) {
      return;
    }
    GsModeArgs mode = gs.mode(pid);
    int cid = exit.kernel().mmCid(t);
    if (cid < 0) {
      return; // no cid yet (an allocator between owners): nothing to index by
    }
    long expected = mode.base(cid);
    long held = t.context().gsBase();
    boolean archSet = gs.takeArchSetPending(t);
    if (held == expected) {
      gs.populated(t, held, false);
      return;
    }
    if (archSet) {
      exit.kernel().count("gs_mode.overwritten", 1);
    } else if (gs.hasWritten(t.tid()) && held != gs.lastWritten(t.tid())) {
      exit.kernel().count("gs_mode.reasserted", 1);
    }
    long cycles = gs.costs().chargeWrite(exit.cpu(), exit.is(ExitToUser.SWITCHED_IN));
    t.context().setGsBase(expected);
    gs.populated(t, expected, true);
    exit.kernel().events().gsBaseWritten(exit.kernel().now(), exit.cpu(), t, held, expected,
        cycles, "gs_mode");
  }
}
