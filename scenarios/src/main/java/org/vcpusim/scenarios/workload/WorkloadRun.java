package org.vcpusim.scenarios.workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.gsmode.GsModeTunable;
import org.vcpusim.kernel.machine.Machine;
import org.vcpusim.kernel.machine.RunOutcome;
import org.vcpusim.kernel.signal.SignalNumbers;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;

/**
 * One workload process on a {@link Machine}, end to end: spawn the process and its workers,
 * meter them ({@link OpMeter}), run in slices applying a {@link Disturbances} schedule, stop the
 * workers through the stop word, and check the end state ({@link WorkloadChecks}).
 *
 * <pre>{@code
 * WorkloadImage img = WorkloadImage.build(spec, Abi.RSEQ_MM_CID, options);
 * WorkloadRun run = WorkloadRun.start(machine, img, "app", masks);   // masks: null = all CPUs
 * run.run(endPs, Disturbances.schedule(spec.rates(), threads, nrIds, 0, endPs, machine.random()));
 * run.finish(gracePs);                                                 // stop word, let them exit
 * List<Violation> v = run.check();  OpMeter m = run.meter();
 * }</pre>
 *
 * <p>Disturbances reach a worker through its mailbox (sleep, yield, drain, GS clobber: the driver
 * serves it between ops; a request still pending is replaced) or the machine API (signal: {@code sendSignal(SIGUSR1)}; affinity: {@code
 * setAffinity} to one CPU of the thread's original mask). A signal due before the worker has
 * installed its handler (status not yet running) is dropped.
 *
 * <p><b>Caveats:</b> drive it from the thread that owns the machine, between runs; the process
 * must not {@code exec}. Not thread-safe.
 */
public final class WorkloadRun {
  private final Machine machine;
  private final WorkloadImage image;
  private final Process process;
  private final List<Task> workers;
  private final List<CpuMask> masks;
  private final OpMeter meter;

  private WorkloadRun(Machine machine, WorkloadImage image, Process process, List<Task> workers,
      List<CpuMask> masks, OpMeter meter) {
    this.machine = machine;
    this.image = image;
    this.process = process;
    this.workers = workers;
    this.masks = masks;
    this.meter = meter;
  }

  /**
   * Spawns {@code image} as process {@code name} with one worker per thread of its options;
   * worker {@code i} gets affinity {@code masks.get(i)} (null list or entry: every CPU).
   */
  public static WorkloadRun start(Machine machine, WorkloadImage image, String name,
      List<CpuMask> masks) {
    return start(machine, image, name, masks, GsModeTunable.ALLOW);
  }

  /**
   * As {@link #start(Machine, WorkloadImage, String, List)}, with the process's libc GS-mode
   * tunable ({@link GsModeTunable#DENY}: the process can never enable the GS mode).
   */
  public static WorkloadRun start(Machine machine, WorkloadImage image, String name,
      List<CpuMask> masks, GsModeTunable tunable) {
    Process p = machine.spawnProcess(name, image.program(),
        image.processOptions().withGsModeTunable(tunable));
    machine.checkers().declareRegions(p.pid(), image.checkerRegions(name));
    OpMeter meter = OpMeter.install(machine, p, image);
    List<Task> ws = new ArrayList<>();
    List<CpuMask> ms = new ArrayList<>();
    for (int i = 0; i < image.options().threads(); i++) {
      CpuMask mask = masks == null ? null : masks.get(i);
      ms.add(mask != null ? mask : machine.topology().all());
      ws.add(machine.spawnThread(p, image.threadEntry(), image.threadArgs(i), mask,
          name + "/" + i));
    }
    return new WorkloadRun(machine, image, p, Collections.unmodifiableList(ws),
        Collections.unmodifiableList(ms), meter);
  }

  public Process process() {
    return process;
  }

  /** The workers, by thread index. */
  public List<Task> workers() {
    return workers;
  }

  public OpMeter meter() {
    return meter;
  }

  public WorkloadImage image() {
    return image;
  }

  /**
   * Runs the machine to {@code endPs}, applying every disturbance of {@code schedule} due before
   * it at its tick; stops early when every task has exited.
   */
  public RunOutcome run(long endPs, List<Disturbance> schedule) {
    for (Disturbance d : schedule) {
      if (d.tick() < machine.now()) {
        continue;
      }
      if (d.tick() >= endPs) {
        break;
      }
      RunOutcome o = machine.runUntil(d.tick());
      if (o == RunOutcome.ALL_EXITED) {
        return o;
      }
      apply(d);
    }
    return machine.runUntil(Math.max(endPs, machine.now()));
  }

  /**
   * Sets the stop word and runs up to {@code gracePs} more for the workers to finish their op
   * and exit.
   *
   * @return whether every worker has exited
   */
  public boolean finish(long gracePs) {
    store(image.stopWordAddress(), 1);
    machine.runFor(gracePs);
    for (Task t : workers) {
      if (!t.hasExited()) {
        return false;
      }
    }
    return true;
  }

  /** Applies one disturbance now (between runs). */
  public void apply(Disturbance d) {
    Task t = workers.get(d.thread());
    if (t.hasExited()) {
      return;
    }
    switch (d.kind()) {
      case SIGNAL -> {
        // before its handler is installed, SIGUSR1 would kill the process: not yet running
        if (load(image.threadBlock(d.thread()) + ThreadBlock.STATUS) == ThreadBlock.STATUS_RUNNING) {
          machine.sendSignal(t, SignalNumbers.SIGUSR1);
        }
      }
      case AFFINITY -> {
        int[] cpus = masks.get(d.thread()).toArray();
        machine.setAffinity(t, CpuMask.of(cpus[(int) (d.arg() % cpus.length)]));
      }
      default -> {
        long b = image.threadBlock(d.thread());
        store(b + ThreadBlock.MAIL_ARG, d.arg());
        store(b + ThreadBlock.MAIL, d.kind().mailboxCode);
      }
    }
  }

  /** The end-of-run checks (call after {@link #finish}). */
  public List<Violation> check() {
    return WorkloadChecks.check(image, process.addressSpace(), machine.now());
  }

  /** Ops completed by all workers (their own count in memory). */
  public long opsDone() {
    return WorkloadChecks.opsDone(image, process.addressSpace());
  }

  /** The u64 field at {@code offset} of worker {@code thread}'s block. */
  public long blockField(int thread, int offset) {
    return load(image.threadBlock(thread) + offset);
  }

  private long load(long address) {
    AddressSpace m = process.addressSpace();
    long v = m.load(address, 8);
    if (m.hasFault()) {
      m.clearFault();
      throw new IllegalStateException("workload memory unreadable at 0x" + Long.toHexString(address));
    }
    return v;
  }

  private void store(long address, long value) {
    AddressSpace m = process.addressSpace();
    if (!m.store(address, 8, value)) {
      m.clearFault();
      throw new IllegalStateException("workload memory unwritable at 0x" + Long.toHexString(address));
    }
  }
}
