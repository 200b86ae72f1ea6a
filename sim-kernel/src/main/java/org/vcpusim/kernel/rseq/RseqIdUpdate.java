package org.vcpusim.kernel.rseq;

import java.util.Locale;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;

/**
 * The return-to-user step at {@link ReturnToUser.Stage#RSEQ_ID_UPDATE}: the second half of {@code
 * __rseq_handle_notify_resume()}, {@code rseq_update_cpu_node_id()} (kernel/rseq.c through 6.18)
 * or, under {@link RseqIdUpdatePolicy#ON_CHANGE}, {@code rseq_set_ids_get_csaddr()} after the
 * v6.19 rewrite (include/linux/rseq_entry.h; reference kernel.md §3.2).
 *
 * <p>When the task has {@link TaskWork#NOTIFY_RESUME} pending and is registered, it writes, in
 * this order, {@code cpu_id_start} and {@code cpu_id} (the CPU the task returns on, {@link
 * ExitToUser#cpu()}, which is {@link KernelServices#cpuOf} of a running task), {@code node_id}
 * ({@link KernelServices#nodeOf}) and {@code mm_cid} ({@link KernelServices#mmCid}) as u32 stores.
 * Under {@link RseqIdUpdatePolicy#LEGACY} it writes on every such pass; under {@link
 * RseqIdUpdatePolicy#ON_CHANGE} only when the (cpu, cid) pair differs from the one this task last
 * had written (the kernel's cached {@code t->rseq.ids}), and then all four fields. Then it clears
 * {@link TaskWork#NOTIFY_RESUME}, as {@code resume_user_mode_work()} does.
 *
 * <p>A store that faults (the area was unmapped or made read-only) kills the process with SIGSEGV,
 * as {@code force_sigsegv()} does.
 *
 * <p>Cost: {@link RseqConfig#idUpdateCycles()} under {@link CostCategory#RETURN_TO_USER} per
 * update that wrote the fields; counters {@code rseq.id_update} and {@code rseq.id_field_write}.
 *
 * <p><b>Caveats:</b> steps installed after this one (the {@code EXTENSION} stage) see {@link
 * TaskWork#NOTIFY_RESUME} already cleared. Not thread-safe.
 */
public final class RseqIdUpdate implements ReturnToUser.Step {
  /** The four u32 id fields written by one update. */
  static final int FIELDS_PER_UPDATE = 4;

  private final Rseq rseq;
  private final UserAccess user = new UserAccess();
  private long updates;
  private long fieldWrites;

  RseqIdUpdate(Rseq rseq) {
    this.rseq = rseq;
  }

  @Override
  public String name() {
    return "rseq_ids";
  }

  @Override
  public void run(ExitToUser exit) {
    Task task = exit.task();
    if (!task.hasWork(TaskWork.NOTIFY_RESUME)) {
      return;
    }
    task.clearWork(TaskWork.NOTIFY_RESUME);
    if (rseq.isRegistered(task.tid())) {
      update(exit);
    }
  }

  /**
   * Writes the ids of {@code exit.task()} (registered) under the configured policy.
   *
   * @return false when the task was killed
   */
  boolean update(ExitToUser exit) {
    Task task = exit.task();
    int tid = task.tid();
    KernelServices kernel = rseq.kernel();
    int cpu = exit.cpu();
    int cid = kernel.mmCid(task);
    if (rseq.config().policy() == RseqIdUpdatePolicy.ON_CHANGE
        && rseq.lastCpu(tid) == cpu && rseq.lastCid(tid) == cid) {
      return true;
    }
    int node = kernel.nodeOf(cpu);
    AddressSpace memory = task.process().addressSpace();
    long area = rseq.area(tid);
    if (!user.put(memory, area + RseqAbi.CPU_ID_START_OFFSET, 4, cpu)
        || !user.put(memory, area + RseqAbi.CPU_ID_OFFSET, 4, cpu)
        || !user.put(memory, area + RseqAbi.NODE_ID_OFFSET, 4, node)
        || !user.put(memory, area + RseqAbi.MM_CID_OFFSET, 4, cid)) {
      rseq.kill(task, String.format(Locale.ROOT,
          "cannot write the id fields of the rseq area at %#x: %s", area, user.fault()));
      exit.kill();
      return false;
    }
    rseq.rememberIds(tid, cpu, cid);
    updates++;
    fieldWrites += FIELDS_PER_UPDATE;
    kernel.charge(exit.cpu(), rseq.config().idUpdateCycles(), CostCategory.RETURN_TO_USER);
    kernel.count("rseq.id_update", 1);
    kernel.count("rseq.id_field_write", FIELDS_PER_UPDATE);
    return true;
  }

  long updates() {
    return updates;
  }

  long fieldWrites() {
    return fieldWrites;
  }
}
