package org.vcpusim.kernel.check;

import java.util.Locale;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.rseq.Rseq;
import org.vcpusim.kernel.rseq.RseqAbi;
import org.vcpusim.kernel.rseq.RseqIdUpdatePolicy;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Task;

/**
 * {@link CheckKind#RSEQ_MM_CID}: the {@code mm_cid} field of a task's registered rseq area holds
 * the id the allocator gave it ({@link KernelServices#mmCid}) whenever the task runs user code.
 *
 * <p>The check runs at every return to user mode, after the whole return-to-user pipeline and
 * just before the task's first user instruction — the first moment user code can read the field.
 * The id of a running task is fixed at switch-in (kernel.md §8.2), and user code is the only other
 * writer of the area, so the field can go wrong in two ways only, both seen here: the kernel did
 * not rewrite it after the id changed ({@code rseq_update_cpu_node_id()} in kernel/rseq.c through
 * 6.18, {@code rseq_set_ids_get_csaddr()} after the v6.19 rewrite), or user code overwrote it and
 * the kernel did not put it back — under {@link RseqIdUpdatePolicy#ON_CHANGE} the kernel never
 * does while the id is unchanged, which is the 2026 regression of kernel.md §3.5 for a read-only
 * field. Both policies keep the field equal to the id on every return: LEGACY rewrites it after
 * every event, ON_CHANGE whenever (cpu, cid) changed.
 *
 * <p>A task without a registered area is skipped, as is one whose area cannot be read (the kernel
 * kills such a task on its way out).
 *
 * <p><b>Caveats:</b> a user store into the field is caught at the task's next return to user,
 * not at the store; a task that overwrites it and never enters the kernel again reads its own
 * value unseen. Not thread-safe.
 */
final class RseqCidChecker {
  private final Checkers checkers;
  private final KernelServices kernel;
  private final Rseq rseq;
  private final UserAccess user = new UserAccess();

  RseqCidChecker(Checkers checkers, KernelServices kernel, Rseq rseq) {
    this.checkers = checkers;
    this.kernel = kernel;
    this.rseq = rseq;
  }

  void userResume(int cpu, Task task) {
    int tid = task.tid();
    if (!rseq.isRegistered(tid)) {
      return;
    }
    AddressSpace memory = task.process().addressSpace();
    long field = rseq.area(tid) + RseqAbi.MM_CID_OFFSET;
    if (!user.get(memory, field, 4)) {
      return;
    }
    int seen = (int) user.value();
    int cid = kernel.mmCid(task);
    if (seen != cid) {
      checkers.report(CheckKind.RSEQ_MM_CID, kernel.now(), cpu, tid, String.format(Locale.ROOT,
          "%s returns to user on cpu %d at rip %#x with rseq->mm_cid = %d (at %#x), but its cid"
              + " is %d", task, cpu, task.context().rip(), seen, field, cid));
    }
  }
}
