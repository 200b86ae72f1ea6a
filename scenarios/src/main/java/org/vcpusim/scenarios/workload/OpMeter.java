package org.vcpusim.scenarios.workload;

import java.util.Arrays;
import org.vcpusim.core.stats.Distribution;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.task.KernelEventListener;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * Measures one workload process from its retired instructions: op boundaries by IP (an op is the
 * call at an {@code op_begin_*} address up to the retirement of the matching {@code op_end_*}
 * instruction, which is not counted), per op the cycles (the timing model's {@code retireCycles}
 * of the thread's instructions in the window, into an HdrHistogram), instructions and loads; the
 * user cycles of the process split by {@link UserCycles} (by code range; after an rseq abort of a
 * thread, every instruction it retires until its next committing store or op end counts as abort
 * restart); and which per-id regions any instruction of the process touched (footprint).
 *
 * <p>A thread is known by its {@code %r15} (its block address, set by the driver's first
 * instructions); instructions retired before that count in the split but in no op.
 *
 * <p>Install with {@link #install}: it joins each core's observers ({@code
 * Machine.addCoreObserver}) and the kernel-event listeners (for aborts).
 *
 * <p><b>Caveats:</b> an op preempted in its window also counts the cycles the core charged
 * serialized before its next instruction (kernel entry, switch), as a wall-clock op latency
 * would; the mean is dominated by uninterrupted ops, the p99 shows the rest. Not thread-safe.
 */
public final class OpMeter implements CoreObserver, KernelEventListener {
  /** Where user cycles went. */
  public enum UserCycles {
    FAST_PATH,
    SLOW_PATH,
    ABORT_RESTART,
    DRIVER
  }

  /** Significant digits of the cycles-per-op histogram (0.1% resolution). */
  private static final int HISTOGRAM_DIGITS = 3;

  private final WorkloadImage image;
  private final int asid;
  private final long blocks;
  private final int blockBytes;
  private final int threads;
  private final long[] opBegin;
  private final long[] opEnd;
  private final long[] commits;
  private final PerIdRegion regions;
  private final Distribution cyclesPerOp;
  private final boolean[] inOp;
  private final boolean[] restarting;
  private final long[] opCycles;
  private final long[] userCycles = new long[UserCycles.values().length];
  private final boolean[] touched;
  private long ops;
  private long opInstructions;
  private long opLoads;
  private final long[] opInsnsByThread;
  private final long[] opLoadsByThread;

  /** A meter of process {@code asid} running {@code image}. */
  public OpMeter(WorkloadImage image, int asid) {
    this.image = image;
    this.asid = asid;
    this.blocks = image.threadBlock(0);
    this.blockBytes = image.blockLayout().bytes();
    this.threads = image.options().threads();
    this.opBegin = image.opBeginAddresses();
    this.opEnd = image.opEndAddresses();
    this.commits = image.commitAddresses();
    this.regions = image.regions();
    this.cyclesPerOp = new StatsRegistry().distribution("cycles_per_op", HISTOGRAM_DIGITS);
    this.inOp = new boolean[threads];
    this.restarting = new boolean[threads];
    this.opCycles = new long[threads];
    this.opInsnsByThread = new long[threads];
    this.opLoadsByThread = new long[threads];
    this.touched = new boolean[regions.count()];
  }

  /** Creates a meter for {@code process} and attaches it to every core and the kernel events. */
  public static OpMeter install(Machine machine, Process process, WorkloadImage image) {
    OpMeter m = new OpMeter(image, process.addressSpace().id());
    machine.addCoreObserver(m);
    machine.addKernelEventListener(m);
    return m;
  }

  private int threadOf(long r15) {
    long off = r15 - blocks;
    if (off < 0 || off % blockBytes != 0 || off / blockBytes >= threads) {
      return -1;
    }
    return (int) (off / blockBytes);
  }

  @Override
  public void onRetire(Core core, ExecutionRecord rec) {
    if (rec.asid != asid) {
      return;
    }
    long rip = rec.insn.address;
    int t = threadOf(core.context().get(Registers.R15));
    for (int i = 0; i < rec.accessCount; i++) {
      int r = regions.regionOf(rec.address[i]);
      if (r >= 0) {
        touched[r] = true;
      }
    }
    if (t >= 0 && inOp[t] && indexOf(opEnd, rip) >= 0) {
      inOp[t] = false;
      restarting[t] = false;
      ops++;
      cyclesPerOp.record(opCycles[t]);
      opInstructions += opInsnsByThread[t];
      opLoads += opLoadsByThread[t];
    }
    CodeClass cls = image.classify(rip);
    UserCycles u;
    if (cls == CodeClass.ABORT_HANDLER || (t >= 0 && restarting[t])) {
      u = UserCycles.ABORT_RESTART;
    } else if (cls == CodeClass.FAST_PATH) {
      u = UserCycles.FAST_PATH;
    } else if (cls == CodeClass.SLOW_PATH) {
      u = UserCycles.SLOW_PATH;
    } else {
      u = UserCycles.DRIVER;
    }
    userCycles[u.ordinal()] += rec.retireCycles;
    if (t < 0) {
      return;
    }
    if (indexOf(opBegin, rip) >= 0) {
      inOp[t] = true;
      opCycles[t] = 0;
      opInsnsByThread[t] = 0;
      opLoadsByThread[t] = 0;
    }
    if (inOp[t]) {
      opCycles[t] += rec.retireCycles;
      opInsnsByThread[t]++;
      for (int i = 0; i < rec.accessCount; i++) {
        if (!rec.write[i]) {
          opLoadsByThread[t]++;
        }
      }
    }
    if (restarting[t] && Arrays.binarySearch(commits, rip) >= 0) {
      restarting[t] = false;
    }
  }

  private static int indexOf(long[] a, long v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void rseqAbort(long tick, int cpu, Task task, String cause, long ip, long abortIp) {
    if (task.process().addressSpace().id() != asid) {
      return;
    }
    int t = threadOf(task.context().get(Registers.R15));
    if (t >= 0) {
      restarting[t] = true;
    }
  }

  /** Ops completed and measured. */
  public long ops() {
    return ops;
  }

  /** Mean cycles per op (0 without ops). */
  public double cyclesPerOpMean() {
    return ops == 0 ? 0 : cyclesPerOp.mean();
  }

  /** Cycles per op at {@code percentile} (0..100). */
  public long cyclesPerOpPercentile(double percentile) {
    return ops == 0 ? 0 : cyclesPerOp.valueAtPercentile(percentile);
  }

  /** Instructions retired per op, mean. */
  public double instructionsPerOp() {
    return ops == 0 ? 0 : (double) opInstructions / ops;
  }

  /** Loads per op, mean. */
  public double loadsPerOp() {
    return ops == 0 ? 0 : (double) opLoads / ops;
  }

  /** User cycles of the process charged to {@code category}. */
  public long userCycles(UserCycles category) {
    return userCycles[category.ordinal()];
  }

  /** Per-id regions any instruction of the process touched. */
  public int regionsTouched() {
    int n = 0;
    for (boolean b : touched) {
      if (b) {
        n++;
      }
    }
    return n;
  }

  /** Whether region {@code id} was touched. */
  public boolean touched(int id) {
    return touched[id];
  }

  /** Footprint: regions touched × stride. */
  public long footprintBytes() {
    return regionsTouched() * regions.stride();
  }
}
