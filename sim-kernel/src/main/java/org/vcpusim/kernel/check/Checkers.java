package org.vcpusim.kernel.check;

import java.util.Objects;
import java.util.function.Consumer;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.kernel.cid.MmCidAllocator;
import org.vcpusim.kernel.rseq.Rseq;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.task.KernelEventListener;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Task;

/**
 * The ABI checkers of one machine, built from its {@link CheckConfig}: {@link CidChecker} ({@code
 * cid_unique}, {@code cid_bound}, {@code cid_compact}), {@link RseqCidChecker} ({@code
 * rseq_mm_cid}) and {@link PerIdRegionChecker} ({@code per_id_region}), and the one place their
 * violations become findings.
 *
 * <p><b>Wiring.</b> The machine adds {@link #schedObserver()} to its scheduling observers and
 * {@link #kernelEventListener()} to its kernel-event listeners, and calls {@link #userResume}
 * whenever a task that passed the return-to-user pipeline goes back to user code. The region
 * checker needs to see memory accesses, which costs every instruction a callback: it installs its
 * {@link CoreObserver} (through the installer the machine gives) only when a scenario first
 * declares regions with {@link #declareRegions}, so a machine without declared regions keeps the
 * cores' no-observer fast path.
 *
 * <p><b>Flood control.</b> A broken rule usually breaks at every switch or every commit. Each
 * violation is counted ({@code check.<kind>.violations}, created at 0 for every enabled checker so
 * that a report shows "checked, none"), but only the first {@link #FINDINGS_PER_KIND} of each kind
 * become findings, whose messages start with {@code "<kind>: "}.
 *
 * <p><b>Caveats:</b> not thread-safe; the checkers run inside the machine's loop and only read
 * kernel state (and user memory, without touching the caches or the fault state the core uses).
 */
public final class Checkers {
  /**
   * Findings recorded per kind before the rest are only counted: enough to show whether a
   * violation repeats on one task, one CPU or everywhere, few enough that a report stays readable.
   */
  public static final int FINDINGS_PER_KIND = 10;

  /** Where violations go: the machine turns them into {@code CHECK_VIOLATION} findings. */
  @FunctionalInterface
  public interface FindingSink {
    /** A violation at {@code tick} on {@code cpu} (or -1) by task {@code tid} (or -1). */
    void violation(long tick, int cpu, int tid, String message);
  }

  private final CheckConfig config;
  private final KernelServices kernel;
  private final FindingSink sink;
  private final Consumer<CoreObserver> coreObservers;
  private final long[] violations = new long[CheckKind.values().length];
  private final String[] counters = new String[CheckKind.values().length];
  private final CidChecker cidChecker;
  private final RseqCidChecker rseqCidChecker;
  private final PerIdRegionChecker regionChecker;
  private final Hooks hooks = new Hooks();
  private boolean regionObserverInstalled;

  /**
   * The checkers {@code config} enables.
   *
   * @param kernel the machine's services (time, current tasks, cids, counters)
   * @param scheduler for an mm's users and {@code nr_cpus_allowed}
   * @param allocator the machine's cid policy (for its compaction promise)
   * @param rseq for each task's registered area
   * @param sink receives the recorded violations
   * @param coreObservers adds an observer to every core (called at most once, lazily)
   */
  public Checkers(CheckConfig config, KernelServices kernel, FairScheduler scheduler,
      MmCidAllocator allocator, Rseq rseq, FindingSink sink,
      Consumer<CoreObserver> coreObservers) {
    this.config = Objects.requireNonNull(config);
    this.kernel = Objects.requireNonNull(kernel);
    this.sink = Objects.requireNonNull(sink);
    this.coreObservers = Objects.requireNonNull(coreObservers);
    for (CheckKind k : CheckKind.values()) {
      counters[k.ordinal()] = "check." + k.id() + ".violations";
      if (config.isEnabled(k)) {
        kernel.count(counters[k.ordinal()], 0);
      }
    }
    boolean anyCid = config.isEnabled(CheckKind.CID_UNIQUE)
        || config.isEnabled(CheckKind.CID_BOUND) || config.isEnabled(CheckKind.CID_COMPACT);
    this.cidChecker = anyCid ? new CidChecker(this, kernel, scheduler, allocator) : null;
    this.rseqCidChecker =
        config.isEnabled(CheckKind.RSEQ_MM_CID) ? new RseqCidChecker(this, kernel, rseq) : null;
    this.regionChecker =
        config.isEnabled(CheckKind.PER_ID_REGION) ? new PerIdRegionChecker(this, kernel, rseq)
            : null;
  }

  public CheckConfig config() {
    return config;
  }

  /** The scheduling events the checkers watch; the machine adds it once. */
  public SchedObserver schedObserver() {
    return hooks;
  }

  /** The kernel events the checkers watch; the machine adds it once. */
  public KernelEventListener kernelEventListener() {
    return hooks;
  }

  /**
   * {@code task} passed the return-to-user pipeline on {@code cpu} and goes back to user code
   * now: its next instruction is its first user instruction since it entered the kernel.
   */
  public void userResume(int cpu, Task task) {
    if (rseqCidChecker != null) {
      rseqCidChecker.userResume(cpu, task);
    }
    if (regionChecker != null) {
      regionChecker.userResume(cpu, task);
    }
  }

  /**
   * Declares per-id regions of process {@code pid} for the {@code per_id_region} checker (see
   * {@link PerIdRegionChecker}); the first declaration installs its core observer. Ignored when
   * that checker is off.
   *
   * @throws IllegalArgumentException if the regions overlap ones declared before for {@code pid}
   */
  public void declareRegions(int pid, PerIdRegions regions) {
    Objects.requireNonNull(regions);
    if (regionChecker == null) {
      return;
    }
    regionChecker.declare(pid, regions);
    if (!regionObserverInstalled) {
      regionObserverInstalled = true;
      coreObservers.accept(regionChecker);
    }
  }

  /** Violations of {@code kind} so far, recorded or not. */
  public long violations(CheckKind kind) {
    return violations[kind.ordinal()];
  }

  /**
   * Counts a violation and records it as a finding if it is among the first of its kind; for the
   * checkers of this package and those other subsystems own ({@link CheckKind#GS_ACCESS}).
   */
  public void report(CheckKind kind, long tick, int cpu, int tid, String detail) {
    long n = ++violations[kind.ordinal()];
    kernel.count(counters[kind.ordinal()], 1);
    if (n <= FINDINGS_PER_KIND) {
      sink.violation(tick, cpu, tid, kind.id() + ": " + detail);
    }
  }

  boolean enabled(CheckKind kind) {
    return config.isEnabled(kind);
  }

  /** The scheduling and kernel events, passed to the checkers that want them. */
  private final class Hooks implements SchedObserver, KernelEventListener {
    @Override
    public void switchIn(int cpu, SchedTask next, long now) {
      if (cidChecker != null) {
        cidChecker.switchIn(cpu, next, now);
      }
    }

    @Override
    public void wakeupNew(SchedTask task, int cpu, long now) {
      if (cidChecker != null) {
        cidChecker.disturbed(task.processId(), now);
      }
    }

    @Override
    public void cpusAllowedChanged(SchedTask task, long now) {
      if (cidChecker != null) {
        cidChecker.disturbed(task.processId(), now);
      }
    }

    @Override
    public void exited(SchedTask task, long now) {
      if (cidChecker != null) {
        cidChecker.disturbed(task.processId(), now);
      }
      if (regionChecker != null) {
        regionChecker.forget(task.id());
      }
    }

    @Override
    public void rseqAbort(long tick, int cpu, Task task, String cause, long ip, long abortIp) {
      if (regionChecker != null) {
        regionChecker.aborted(task.tid());
      }
    }
  }
}
