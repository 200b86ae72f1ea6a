package org.vcpusim.kernel.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import org.vcpusim.cpu.exec.DecodedProgram;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;

/**
 * A small {@link KernelServices} for unit tests of kernel subsystems: a fixed number of CPUs with
 * {@code cpusPerNode} CPUs per NUMA node, a settable current task per CPU and CPU per task, an
 * identity concurrency id (cid = CPU) unless a test sets one, IPIs queued until {@link
 * #runIpis()}, and every charge, counter and kill recorded. Tasks and processes are real {@link
 * Task}/{@link Process} objects with real {@link AddressSpace}s and {@link ThreadContext}s; thread
 * ids are dense from 1 and a process's pid is its first thread's id, as in Linux.
 */
public final class FakeKernel implements KernelServices {
  /** One recorded {@link #killProcess} call. */
  public record Kill(Process process, int signal, String reason) {}

  /** One queued IPI. */
  public record Ipi(int cpu, IntConsumer handler) {}

  /** The clock {@link #frequencyHz} reports: zen5.yaml's {@code frequencyGhz} (3.4 GHz). */
  public static final long FREQUENCY_HZ = 3_400_000_000L;

  private final int cpus;
  private final int cpusPerNode;
  private final Task[] current;
  private final List<Task> tasks = new ArrayList<>();
  private int[] cpuOfTask = new int[16];
  private int[] cidOverride = new int[16];
  private final List<Ipi> ipis = new ArrayList<>();
  private final List<Ipi> sentIpis = new ArrayList<>();
  private final Map<CostCategory, Long> charges = new EnumMap<>(CostCategory.class);
  private final long[] chargesByCpu;
  private final Map<String, Long> counters = new TreeMap<>();
  private final List<Kill> kills = new ArrayList<>();
  private long now;

  public FakeKernel(int cpus, int cpusPerNode) {
    this.cpus = cpus;
    this.cpusPerNode = cpusPerNode;
    this.current = new Task[cpus];
    this.chargesByCpu = new long[cpus];
    Arrays.fill(cidOverride, -1);
  }

  // ------------------------------------------------------------------ building

  /** A new process with one thread, its pid the thread's id. */
  public Task newProcess(String name) {
    int pid = tasks.size() + 1;
    Process p = new Process(pid, name, new AddressSpace(pid), emptyProgram());
    return newThread(p, name);
  }

  /** A new thread of {@code p}. */
  public Task newThread(Process p, String name) {
    int tid = tasks.size() + 1;
    Task t = new Task(tid, p, new ThreadContext(), name);
    p.addThread(t);
    tasks.add(t);
    if (tid >= cpuOfTask.length) {
      cpuOfTask = Arrays.copyOf(cpuOfTask, tid * 2);
      int old = cidOverride.length;
      cidOverride = Arrays.copyOf(cidOverride, tid * 2);
      Arrays.fill(cidOverride, old, cidOverride.length, -1);
    }
    return t;
  }

  /** A forked copy of {@code parent}'s process (memory copied, registers copied). */
  public Task fork(Task parent) {
    int pid = tasks.size() + 1;
    Process p = new Process(pid, parent.process().name(),
        parent.process().addressSpace().fork(pid), parent.process().program());
    Task child = newThread(p, parent.name());
    child.context().copyFrom(parent.context());
    return child;
  }

  private static DecodedProgram emptyProgram() {
    return new DecodedProgram(
        new AssembledProgram("empty", List.of(), new TreeMap<>(), List.of()));
  }

  /** Puts {@code t} on {@code cpu} as its current task. */
  public void run(Task t, int cpu) {
    for (int c = 0; c < cpus; c++) {
      if (current[c] == t) {
        current[c] = null;
      }
    }
    current[cpu] = t;
    cpuOfTask[t.tid()] = cpu;
  }

  /** Makes {@code cpu} idle. */
  public void idle(int cpu) {
    current[cpu] = null;
  }

  /** Sets the cid {@link #mmCid} returns for {@code t} (otherwise its CPU). */
  public void setCid(Task t, int cid) {
    cidOverride[t.tid()] = cid;
  }

  /** A syscall context for {@code t} on its CPU with RAX = {@code nr} and the given arguments. */
  public SyscallContext syscall(Task t, int nr, long... args) {
    ThreadContext c = t.context();
    c.set(org.vcpusim.cpu.isa.Registers.RAX, nr);
    int[] regs = {
      org.vcpusim.cpu.isa.Registers.RDI, org.vcpusim.cpu.isa.Registers.RSI,
      org.vcpusim.cpu.isa.Registers.RDX, org.vcpusim.cpu.isa.Registers.R10,
      org.vcpusim.cpu.isa.Registers.R8, org.vcpusim.cpu.isa.Registers.R9
    };
    for (int i = 0; i < args.length; i++) {
      c.set(regs[i], args[i]);
    }
    SyscallContext sc = new SyscallContext(this);
    sc.begin(t, cpuOf(t));
    return sc;
  }

  /** A return-to-user pass for {@code t} on its CPU. */
  public ExitToUser exit(Task t, int reasons) {
    return new ExitToUser(this).begin(t, cpuOf(t), reasons);
  }

  // ------------------------------------------------------------------ KernelServices

  @Override
  public long now() {
    return now;
  }

  @Override
  public int nrCpuIds() {
    return cpus;
  }

  @Override
  public long frequencyHz() {
    return FREQUENCY_HZ;
  }

  /** Sets the time {@link #now} reports. */
  public void setNow(long ps) {
    now = ps;
  }

  @Override
  public int nodeOf(int cpu) {
    return cpu / cpusPerNode;
  }

  @Override
  public int cpuOf(Task task) {
    return cpuOfTask[task.tid()];
  }

  @Override
  public Task currentOn(int cpu) {
    return current[cpu];
  }

  @Override
  public Task task(int tid) {
    return tid >= 1 && tid <= tasks.size() ? tasks.get(tid - 1) : null;
  }

  @Override
  public int mmCid(Task task) {
    int o = cidOverride[task.tid()];
    return o >= 0 ? o : cpuOf(task);
  }

  @Override
  public void sendIpi(int cpu, IntConsumer handler) {
    Ipi ipi = new Ipi(cpu, handler);
    ipis.add(ipi);
    sentIpis.add(ipi);
  }

  @Override
  public void charge(int cpu, long cycles, CostCategory category) {
    charges.merge(category, cycles, Long::sum);
    chargesByCpu[cpu] += cycles;
  }

  @Override
  public void count(String name, long delta) {
    counters.merge(name, delta, Long::sum);
  }

  @Override
  public void killProcess(Process process, int signal, String reason) {
    kills.add(new Kill(process, signal, reason));
    process.markExited(reason);
    for (Task t : process.threads()) {
      t.markExited(128 + signal);
    }
  }

  // ------------------------------------------------------------------ inspection

  /** Runs the queued IPI handlers (in send order) and forgets them. */
  public void runIpis() {
    List<Ipi> run = new ArrayList<>(ipis);
    ipis.clear();
    for (Ipi i : run) {
      i.handler().accept(i.cpu());
    }
  }

  /** Every IPI sent so far. */
  public List<Ipi> sentIpis() {
    return sentIpis;
  }

  /** The CPUs IPIs were sent to, sorted. */
  public TreeSet<Integer> ipiTargets() {
    TreeSet<Integer> s = new TreeSet<>();
    for (Ipi i : sentIpis) {
      s.add(i.cpu());
    }
    return s;
  }

  public long charged(CostCategory category) {
    return charges.getOrDefault(category, 0L);
  }

  public long chargedOn(int cpu) {
    return chargesByCpu[cpu];
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  public List<Kill> kills() {
    return kills;
  }

  /** The last kill; fails when there was none. */
  public Kill lastKill() {
    if (kills.isEmpty()) {
      throw new AssertionError("no process was killed");
    }
    return kills.get(kills.size() - 1);
  }
}
