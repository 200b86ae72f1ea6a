package org.vcpusim.kernel.rseq;

import java.util.Locale;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.task.TaskWork;

/**
 * The return-to-user step at {@link ReturnToUser.Stage#RSEQ_CS_FIXUP}: the kernel's {@code
 * rseq_ip_fixup()} (kernel/rseq.c through 6.18), the first half of {@code
 * __rseq_handle_notify_resume()}.
 *
 * <p>It runs when the task is registered and has {@link TaskWork#NOTIFY_RESUME} pending — as the
 * kernel does, independently of the event mask, which only decides the restart. It loads and
 * validates the descriptor ({@link RseqCs}); a NULL {@code rseq_cs} ends it. If the task's IP is
 * outside {@code [start_ip, start_ip + post_commit_offset)} it lazily clears {@code rseq_cs}. If
 * the IP is inside, the descriptor's {@code flags} and the area's {@code flags} must be 0 (any
 * deprecated NO_RESTART bit or unknown bit is an error since 2022), and if an event is pending it
 * clears {@code rseq_cs} and sets the IP to {@code abort_ip}, counting the abort by cause. With no
 * event pending the IP is inside and nothing changes. Any invalid descriptor or fault on the area
 * kills the process with SIGSEGV and a reason naming the rule.
 *
 * <p>It leaves {@link TaskWork#NOTIFY_RESUME} set for {@link RseqIdUpdate}, which clears it.
 *
 * <p>Cost: {@link RseqConfig#csCheckCycles()} under {@link CostCategory#RETURN_TO_USER} per
 * evaluation that found a non-NULL {@code rseq_cs}.
 *
 * <p><b>Caveats:</b> not thread-safe.
 */
public final class RseqCsFixup implements ReturnToUser.Step {
  private final Rseq rseq;
  private final RseqCs cs = new RseqCs();
  private final UserAccess user = new UserAccess();
  private long checks;
  private long clears;

  RseqCsFixup(Rseq rseq) {
    this.rseq = rseq;
  }

  @Override
  public String name() {
    return "rseq_cs_fixup";
  }

  @Override
  public void run(ExitToUser exit) {
    Task task = exit.task();
    if (rseq.isRegistered(task.tid()) && task.hasWork(TaskWork.NOTIFY_RESUME)) {
      fixup(exit);
    }
  }

  /**
   * {@code rseq_ip_fixup()} for {@code exit.task()}, registered.
   *
   * @return false when the task was killed
   */
  boolean fixup(ExitToUser exit) {
    Task task = exit.task();
    int tid = task.tid();
    AddressSpace memory = task.process().addressSpace();
    long area = rseq.area(tid);
    String invalid = cs.load(memory, area, rseq.signature(tid));
    if (cs.pointer != 0) {
      checks++;
      rseq.kernel().charge(exit.cpu(), rseq.config().csCheckCycles(), CostCategory.RETURN_TO_USER);
      rseq.kernel().count("rseq.cs_check", 1);
    }
    if (invalid != null) {
      return die(exit, invalid);
    }
    if (cs.pointer == 0) {
      rseq.takeEvents(tid);
      return true;
    }
    long ip = task.context().rip();
    if (!cs.contains(ip)) {
      rseq.takeEvents(tid);
      clears++;
      rseq.kernel().count("rseq.cs_clear", 1);
      return clearRseqCs(exit, memory, area);
    }
    // rseq_need_restart(): the flags are checked only for an IP inside the critical section.
    if (cs.flags != 0) {
      return die(exit, String.format(Locale.ROOT,
          "rseq_cs %#x: flags %#x are not 0 (the NO_RESTART flags are deprecated since 2022)",
          cs.pointer, Integer.toUnsignedLong(cs.flags)));
    }
    if (!user.get(memory, area + RseqAbi.FLAGS_OFFSET, 4)) {
      return die(exit, "cannot read rseq->flags: " + user.fault());
    }
    if (user.value() != 0) {
      return die(exit, String.format(Locale.ROOT,
          "rseq->flags %#x are not 0 (the NO_RESTART flags are deprecated since 2022)",
          user.value()));
    }
    int causes = rseq.causes(tid);
    int mask = rseq.takeEvents(tid);
    if (mask == 0) {
      return true;
    }
    if (!clearRseqCs(exit, memory, area)) {
      return false;
    }
    task.context().setRip(cs.abortIp);
    RseqEvent cause = rseq.recordAbort(causes, mask);
    rseq.kernel().events().rseqAbort(rseq.kernel().now(), exit.cpu(), task, cause.counterName(),
        ip, cs.abortIp);
    return true;
  }

  /**
   * {@code rseq_syscall()}: kills when the descriptor is invalid or the IP is inside it.
   *
   * @return false when the task was killed
   */
  boolean debugSyscallCheck(Task task) {
    int tid = task.tid();
    String invalid = cs.load(task.process().addressSpace(), rseq.area(tid), rseq.signature(tid));
    if (invalid != null) {
      rseq.kill(task, "system call with an invalid rseq_cs (CONFIG_DEBUG_RSEQ): " + invalid);
      return false;
    }
    long ip = task.context().rip();
    if (cs.pointer != 0 && cs.contains(ip)) {
      rseq.kill(task, String.format(Locale.ROOT,
          "system call inside the rseq critical section [%#x, %#x) of rseq_cs %#x "
              + "(CONFIG_DEBUG_RSEQ)", cs.startIp, cs.startIp + cs.postCommitOffset, cs.pointer));
      return false;
    }
    return true;
  }

  private boolean clearRseqCs(ExitToUser exit, AddressSpace memory, long area) {
    if (!user.put(memory, area + RseqAbi.RSEQ_CS_OFFSET, 8, 0)) {
      return die(exit, "cannot clear rseq->rseq_cs: " + user.fault());
    }
    return true;
  }

  private boolean die(ExitToUser exit, String why) {
    rseq.takeEvents(exit.task().tid());
    rseq.kill(exit.task(), why);
    exit.kill();
    return false;
  }

  /** Evaluations that found a non-NULL {@code rseq_cs}. */
  long checks() {
    return checks;
  }

  /** Lazy clears (IP outside the critical section). */
  long clears() {
    return clears;
  }
}
