package org.vcpusim.kernel.check;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.rseq.Rseq;
import org.vcpusim.kernel.rseq.RseqAbi;
import org.vcpusim.kernel.syscall.UserAccess;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Task;

/**
 * {@link CheckKind#PER_ID_REGION}: per-id data ({@link PerIdRegions}) is only shared between CPUs
 * the way rseq makes safe. The rule: two CPUs must not touch the same region at overlapping times
 * unless every such access lies inside an rseq critical section that either aborted or committed
 * on its own CPU. It is checked as optimistic-concurrency validation of each access, the way a
 * software transactional memory validates a transaction's read set:
 *
 * <ul>
 *   <li>Every region has a version, bumped by each committed write, with the CPU, task and tick of
 *       the last one.
 *   <li>An access is <em>inside a critical section</em> when the task's rseq area points to a
 *       descriptor ({@code rseq->rseq_cs} ≠ 0) and the instruction's IP lies in {@code [start_ip,
 *       start_ip + post_commit_offset)} — the kernel's own test ({@code in_rseq_cs()} of
 *       kernel/rseq.c, as {@code RseqCsFixup} applies it). Such accesses are provisional: the
 *       task's open section records, per region it touches, the version at its first touch.
 *   <li>The section <em>commits</em> when the task retires an instruction whose next IP is {@code
 *       start_ip + post_commit_offset} (the commit store, librseq's {@code post_commit_ip}). If a
 *       region it touched has been written by anyone else since its first touch, the section
 *       committed over a write it did not see: a lost update, reported. Then its writes bump their
 *       regions' versions.
 *   <li>An abort ({@code KernelEventListener#rseqAbort}, emitted by the kernel's fixup), leaving
 *       the section's IP range without committing (an early exit) or the task's exit discards the
 *       section: rseq promises nothing for it and nothing it did is validated.
 *   <li>An access outside any critical section (plain) commits at once. A plain write that
 *       completes a plain read-modify-write — the task's most recent plain read was of the same
 *       region — is itself validated: if another task wrote the region since that
 *       read, the update is lost. This is what two CPUs incrementing one counter without rseq do.
 * </ul>
 *
 * A plain write by CPU B to a region that CPU A's open section touched is found when A commits (the
 * version moved). Messages name the region and index, both tasks and CPUs, and the ticks.
 *
 * <p>Accesses by the declaration's remote-stop code ({@link PerIdRegions#stopCodeStart}) are
 * skipped: that code validates itself.
 *
 * <p>Cost: nothing until a process declares regions (the checker is installed as a core observer
 * then); afterwards O(1) per memory access — a bounds test per declaration of the process, the
 * region by {@code (address - base) / stride}, and for a hit one read of {@code rseq_cs} from user
 * memory with the descriptor cached per (process, pointer) — plus one array read per retired
 * instruction.
 *
 * <p><b>Caveats:</b> an access is attributed to the region of its first byte (and its last byte
 * when that is another region). Descriptors are cached by pointer: a program that rewrites a
 * descriptor in place is checked against the first contents seen. A plain write after a plain read
 * of the same region counts as a read-modify-write even if the program meant a blind store.
 * Declarations belong to a pid: a forked child is not covered, an exec'ed image still is. In
 * quantum time mode the ticks in messages are those of the quantum's start; the validation itself
 * follows the order the accesses executed in. Not thread-safe.
 */
final class PerIdRegionChecker implements CoreObserver {
  /** Initial size of the per-pid and per-tid tables; they double as ids grow. */
  private static final int INITIAL_IDS = 16;
  /** Initial number of regions a section can record; it doubles when a section touches more. */
  private static final int INITIAL_TOUCHES = 4;

  /** One declaration with its per-region state. */
  private static final class Declared {
    final PerIdRegions spec;
    final long base;
    final long end;
    final long stride;
    final long[] version;
    final int[] writerCpu;
    final int[] writerTid;
    final long[] writeTick;

    Declared(PerIdRegions spec) {
      this.spec = spec;
      this.base = spec.base();
      this.end = spec.end();
      this.stride = spec.stride();
      this.version = new long[spec.count()];
      this.writerCpu = new int[spec.count()];
      this.writerTid = new int[spec.count()];
      this.writeTick = new long[spec.count()];
      Arrays.fill(writerCpu, -1);
      Arrays.fill(writerTid, -1);
    }

    String where(int idx) {
      return String.format(Locale.ROOT, "%s[%d] (%s %d, %#x..%#x)", spec.name(), idx,
          spec.index().field(), idx, base + stride * idx, base + stride * (idx + 1));
    }

    String lastWriter(int idx) {
      return writerTid[idx] < 0 ? "nobody"
          : String.format(Locale.ROOT, "task %d on cpu %d at %d ps", writerTid[idx],
              writerCpu[idx], writeTick[idx]);
    }
  }

  /** The declarations of one process and its descriptor cache. */
  private static final class Mm {
    Declared[] decls = new Declared[0];
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    /** rseq_cs pointer → {start_ip, start_ip + post_commit_offset}. */
    final HashMap<Long, long[]> descriptors = new HashMap<>();
  }

  /** One task's open section and plain read-modify-write slot. */
  private static final class TaskState {
    final int tid;
    boolean open;
    int cpu;
    long start;
    long end;
    int touches;
    Declared[] touchDecl = new Declared[INITIAL_TOUCHES];
    int[] touchIdx = new int[INITIAL_TOUCHES];
    long[] touchVersion = new long[INITIAL_TOUCHES];
    long[] touchTick = new long[INITIAL_TOUCHES];
    boolean[] touchWrote = new boolean[INITIAL_TOUCHES];
    Declared plainDecl;
    int plainIdx;
    long plainVersion;
    long plainTick;

    TaskState(int tid) {
      this.tid = tid;
    }

    void close() {
      open = false;
      Arrays.fill(touchDecl, 0, touches, null);
      touches = 0;
    }
  }

  private final Checkers checkers;
  private final KernelServices kernel;
  private final Rseq rseq;
  private final UserAccess user = new UserAccess();
  private Mm[] mms = new Mm[INITIAL_IDS];
  private TaskState[] tasks = new TaskState[INITIAL_IDS];
  /** Per CPU: the task state whose section was last opened or extended there, or null. */
  private final TaskState[] openOn;
  /** Scratch result of {@link #sectionAt}. */
  private long csStart;
  private long csEnd;

  PerIdRegionChecker(Checkers checkers, KernelServices kernel, Rseq rseq) {
    this.checkers = checkers;
    this.kernel = kernel;
    this.rseq = rseq;
    this.openOn = new TaskState[kernel.nrCpuIds()];
  }

  void declare(int pid, PerIdRegions spec) {
    if (pid <= 0) {
      throw new IllegalArgumentException("no process " + pid);
    }
    if (pid >= mms.length) {
      mms = Arrays.copyOf(mms, Math.max(pid + 1, 2 * mms.length));
    }
    Mm mm = mms[pid];
    if (mm == null) {
      mm = new Mm();
      mms[pid] = mm;
    }
    for (Declared d : mm.decls) {
      if (spec.base() < d.end && d.base < spec.end()) {
        throw new IllegalArgumentException(spec.name() + " overlaps " + d.spec.name()
            + " declared for process " + pid);
      }
    }
    mm.decls = Arrays.copyOf(mm.decls, mm.decls.length + 1);
    mm.decls[mm.decls.length - 1] = new Declared(spec);
    mm.lo = Math.min(mm.lo, spec.base());
    mm.hi = Math.max(mm.hi, spec.end());
  }

  // ------------------------------------------------------------------ core observer

  @Override
  public void onMemoryAccess(
      Core core, long address, int size, boolean write, Segment segment, long rip) {
    Task t = kernel.currentOn(core.id());
    if (t == null) {
      return;
    }
    int pid = t.process().pid();
    Mm mm = pid < mms.length ? mms[pid] : null;
    if (mm == null || address >= mm.hi || address + size <= mm.lo) {
      return;
    }
    long last = address + size - 1;
    for (Declared d : mm.decls) {
      if (address < d.end && last >= d.base && !d.spec.isStopCode(rip)) {
        int first = (int) ((Math.max(address, d.base) - d.base) / d.stride);
        int lastIdx = (int) ((Math.min(last, d.end - 1) - d.base) / d.stride);
        access(core.id(), t, mm, d, first, write, rip);
        if (lastIdx != first) {
          access(core.id(), t, mm, d, lastIdx, write, rip);
        }
      }
    }
  }

  @Override
  public void onRetire(Core core, ExecutionRecord record) {
    TaskState ts = openOn[core.id()];
    if (ts == null) {
      return;
    }
    Task t = kernel.currentOn(core.id());
    if (t == null || t.tid() != ts.tid) {
      return;
    }
    if (!ts.open) {
      openOn[core.id()] = null;
      return;
    }
    long rip = record.insn.address;
    if (Long.compareUnsigned(rip - ts.start, ts.end - ts.start) >= 0) {
      ts.close();
      openOn[core.id()] = null;
    } else if (record.nextRip == ts.end) {
      commit(core.id(), t, ts);
      openOn[core.id()] = null;
    }
  }

  // ------------------------------------------------------------------ kernel events

  /** The kernel's fixup aborted task {@code tid}'s critical section. */
  void aborted(int tid) {
    TaskState ts = tid < tasks.length ? tasks[tid] : null;
    if (ts != null) {
      ts.close();
    }
  }

  /**
   * Task {@code t} goes back to user code on {@code cpu}. An open section whose range no longer
   * holds the task's IP was left while the checker watched another task on that CPU (an early
   * exit retired just before a preemption; the fixup rightly did not abort it): it is closed, so
   * that entering the same section again starts afresh instead of inheriting the old touches. A
   * section still holding the IP (an interrupt that neither preempted nor signalled) goes on, on
   * this CPU.
   */
  void userResume(int cpu, Task t) {
    TaskState ts = t.tid() < tasks.length ? tasks[t.tid()] : null;
    if (ts == null || !ts.open) {
      return;
    }
    long rip = t.context().rip();
    if (Long.compareUnsigned(rip - ts.start, ts.end - ts.start) >= 0) {
      ts.close();
      if (openOn[cpu] == ts) {
        openOn[cpu] = null;
      }
    } else {
      openOn[cpu] = ts;
    }
  }

  /** Task {@code tid} exited. */
  void forget(int tid) {
    TaskState ts = tid < tasks.length ? tasks[tid] : null;
    if (ts != null) {
      ts.close();
      ts.plainDecl = null;
    }
  }

  // ------------------------------------------------------------------ the rule

  private void access(int cpu, Task t, Mm mm, Declared d, int idx, boolean write, long rip) {
    TaskState ts = state(t.tid());
    long now = kernel.now();
    if (sectionAt(t, mm, rip)) {
      if (!ts.open || ts.start != csStart || ts.end != csEnd) {
        ts.close();
        ts.open = true;
        ts.cpu = cpu;
        ts.start = csStart;
        ts.end = csEnd;
      }
      openOn[cpu] = ts;
      touch(ts, d, idx, write, now);
      return;
    }
    if (!write) {
      ts.plainDecl = d;
      ts.plainIdx = idx;
      ts.plainVersion = d.version[idx];
      ts.plainTick = now;
      return;
    }
    if (ts.plainDecl == d && ts.plainIdx == idx) {
      if (d.version[idx] != ts.plainVersion) {
        checkers.report(CheckKind.PER_ID_REGION, now, cpu, t.tid(), String.format(Locale.ROOT,
            "lost update on %s: %s on cpu %d read it at %d ps and wrote it at %d ps outside any"
                + " rseq critical section (rip %#x), but %s wrote it in between",
            d.where(idx), t, cpu, ts.plainTick, now, rip, d.lastWriter(idx)));
      }
      ts.plainDecl = null;
    }
    committed(d, idx, cpu, t.tid(), now);
  }

  private void touch(TaskState ts, Declared d, int idx, boolean write, long now) {
    for (int i = 0; i < ts.touches; i++) {
      if (ts.touchDecl[i] == d && ts.touchIdx[i] == idx) {
        ts.touchWrote[i] |= write;
        return;
      }
    }
    if (ts.touches == ts.touchDecl.length) {
      int n = 2 * ts.touches;
      ts.touchDecl = Arrays.copyOf(ts.touchDecl, n);
      ts.touchIdx = Arrays.copyOf(ts.touchIdx, n);
      ts.touchVersion = Arrays.copyOf(ts.touchVersion, n);
      ts.touchTick = Arrays.copyOf(ts.touchTick, n);
      ts.touchWrote = Arrays.copyOf(ts.touchWrote, n);
    }
    int i = ts.touches++;
    ts.touchDecl[i] = d;
    ts.touchIdx[i] = idx;
    ts.touchVersion[i] = d.version[idx];
    ts.touchTick[i] = now;
    ts.touchWrote[i] = write;
  }

  private void commit(int cpu, Task t, TaskState ts) {
    long now = kernel.now();
    for (int i = 0; i < ts.touches; i++) {
      Declared d = ts.touchDecl[i];
      int idx = ts.touchIdx[i];
      if (d.version[idx] != ts.touchVersion[i]) {
        checkers.report(CheckKind.PER_ID_REGION, now, cpu, t.tid(), String.format(Locale.ROOT,
            "lost update on %s: %s committed its rseq critical section [%#x, %#x) on cpu %d at"
                + " %d ps, which first touched the region at %d ps, but %s wrote it in between",
            d.where(idx), t, ts.start, ts.end, cpu, now, ts.touchTick[i], d.lastWriter(idx)));
      }
    }
    for (int i = 0; i < ts.touches; i++) {
      if (ts.touchWrote[i]) {
        committed(ts.touchDecl[i], ts.touchIdx[i], cpu, t.tid(), now);
      }
    }
    ts.close();
  }

  private static void committed(Declared d, int idx, int cpu, int tid, long now) {
    d.version[idx]++;
    d.writerCpu[idx] = cpu;
    d.writerTid[idx] = tid;
    d.writeTick[idx] = now;
  }

  /**
   * Whether {@code rip} lies in the critical section {@code t}'s rseq area points to; if so
   * {@link #csStart} and {@link #csEnd} hold its bounds.
   */
  private boolean sectionAt(Task t, Mm mm, long rip) {
    int tid = t.tid();
    if (!rseq.isRegistered(tid)) {
      return false;
    }
    AddressSpace memory = t.process().addressSpace();
    if (!user.get(memory, rseq.area(tid) + RseqAbi.RSEQ_CS_OFFSET, 8) || user.value() == 0) {
      return false;
    }
    long pointer = user.value();
    long[] cs = mm.descriptors.get(pointer);
    if (cs == null) {
      if (!user.get(memory, pointer + RseqAbi.CS_START_IP_OFFSET, 8)) {
        return false;
      }
      long start = user.value();
      if (!user.get(memory, pointer + RseqAbi.CS_POST_COMMIT_OFFSET_OFFSET, 8)) {
        return false;
      }
      cs = new long[] {start, start + user.value()};
      mm.descriptors.put(pointer, cs);
    }
    if (Long.compareUnsigned(rip - cs[0], cs[1] - cs[0]) >= 0) {
      return false;
    }
    csStart = cs[0];
    csEnd = cs[1];
    return true;
  }

  private TaskState state(int tid) {
    if (tid >= tasks.length) {
      tasks = Arrays.copyOf(tasks, Math.max(tid + 1, 2 * tasks.length));
    }
    TaskState ts = tasks[tid];
    if (ts == null) {
      ts = new TaskState(tid);
      tasks[tid] = ts;
    }
    return ts;
  }
}
