package org.vcpusim.kernel.machine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.vcpusim.core.event.EventPriority;
import org.vcpusim.core.event.EventQueue;
import org.vcpusim.core.random.RandomStreams;
import org.vcpusim.core.stats.Counter;
import org.vcpusim.core.stats.StatsRegistry;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.cpu.cache.MemorySystem;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.cpu.exec.CoreStatus;
import org.vcpusim.cpu.exec.CpuFeature;
import org.vcpusim.cpu.exec.CpuFeatures;
import org.vcpusim.cpu.exec.DecodedProgram;
import org.vcpusim.cpu.exec.MemoryLevel;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.timing.DataflowTimingModel;
import org.vcpusim.kernel.check.CheckConfig;
import org.vcpusim.kernel.check.CheckKind;
import org.vcpusim.kernel.check.Checkers;
import org.vcpusim.kernel.cid.CidAccounting;
import org.vcpusim.kernel.entry.ExitToUser;
import org.vcpusim.kernel.entry.ReturnToUser;
import org.vcpusim.kernel.gsmode.GsAccessChecker;
import org.vcpusim.kernel.gsmode.GsMode;
import org.vcpusim.kernel.membarrier.Membarrier;
import org.vcpusim.kernel.mm.MemoryMaps;
import org.vcpusim.kernel.mm.MmapSyscalls;
import org.vcpusim.kernel.rseq.Rseq;
import org.vcpusim.kernel.sched.FairScheduler;
import org.vcpusim.kernel.sched.SchedObserver;
import org.vcpusim.kernel.sched.SchedTask;
import org.vcpusim.kernel.sched.SwitchReason;
import org.vcpusim.kernel.sched.TaskState;
import org.vcpusim.kernel.signal.SigInfo;
import org.vcpusim.kernel.signal.SignalNumbers;
import org.vcpusim.kernel.signal.Signals;
import org.vcpusim.kernel.syscall.Errno;
import org.vcpusim.kernel.syscall.SyscallContext;
import org.vcpusim.kernel.syscall.SyscallHandler;
import org.vcpusim.kernel.syscall.SyscallTable;
import org.vcpusim.kernel.task.CostCategory;
import org.vcpusim.kernel.task.KernelEventListener;
import org.vcpusim.kernel.task.KernelServices;
import org.vcpusim.kernel.task.Process;
import org.vcpusim.kernel.task.Task;
import org.vcpusim.kernel.topology.CpuMask;
import org.vcpusim.kernel.topology.CpuTopology;

/**
 * A simulated multiprocessor running Linux-like processes: N CPUs of a {@link CpuTopology}, each a
 * sim-cpu {@link Core} with a {@link DataflowTimingModel} over one shared {@link MemorySystem}, at
 * the frequency of the {@link CpuProfile}; the {@link FairScheduler}; the system-call table; the
 * return-to-user pipeline ({@link ReturnToUser}); the concurrency-id allocator; statistics and
 * random streams of the run. It is the {@link KernelServices} its subsystems use.
 *
 * <h2>Time</h2>
 *
 * Each CPU has a local time: its timing model's cycles in picoseconds plus the idle gaps it spent
 * following global time ({@link Cpu}). The run loop merges the event queue with an indexed min-heap
 * of the running CPUs keyed by local time: whenever the earliest pending event is due at or before
 * the earliest CPU, the event fires (the clock, {@link #now()}, becomes its tick); otherwise that
 * CPU (ties by number) runs one instruction in {@link TimeMode#EXACT} mode, or up to a quantum in
 * {@link TimeMode#QUANTUM} mode, and the clock becomes its local time. The clock never goes back,
 * and every kernel operation happens at the clock's value, so the scheduler and the subsystems see
 * one monotone time.
 *
 * <p>Events: a scheduler tick per CPU every {@code 1/HZ} ({@link FairScheduler#tick}, preceded by
 * the profile's interrupt entry/exit cost), the periodic load balance, nanosleep expiries, IPI
 * deliveries ({@link #sendIpi}: after the profile's IPI latency). An interrupt reaches a running
 * CPU at its next instruction boundary, which is at or just after the event's tick (a CPU's local
 * time may be ahead of the clock by at most one instruction or one kernel charge); an idle CPU
 * handles it at once. Idle CPUs keep no local activity: their time is charged to {@link
 * CostCategory#IDLE} when they next run. The end of a run is the loop's bound rather than an
 * event: every event due at or before it fires, every instruction that starts before it runs.
 *
 * <h2>Entering and leaving the kernel</h2>
 *
 * <ul>
 *   <li>{@code syscall}: the profile's syscall entry/exit cost is charged, the handler registered
 *       in the {@link SyscallTable} runs with a {@link SyscallContext} ({@code -ENOSYS} when there is
 *       none), its value goes to RAX unless it said {@link SyscallContext#noReturnValue}, and the
 *       task leaves through the exit-to-user loop below if it is still the CPU's current task. A
 *       task that blocked or was switched away returns to user later, when it is switched in.
 *   <li>A fault in user code forces its signal ({@link Signals#forceTrap}: SIGSEGV for page faults
 *       and general protection, SIGILL for invalid opcodes, SIGFPE for divide errors; a jump to no
 *       instruction is SIGSEGV) and the task leaves through the exit-to-user loop, whose delivery
 *       step runs the program's handler or, by default, kills the process with a {@link Finding}
 *       naming the signal, RIP, fault address and trap: a simulated program's fault is a result,
 *       never a Java exception out of the machine.
 *   <li>IPIs a system call sends are waited for before the caller returns ({@link #sendIpi}).
 *   <li>The exit-to-user loop ({@code kernel/entry/common.c: exit_to_user_mode_loop()}) runs on
 *       every way back to user mode: while need_resched is set it schedules; then the current task,
 *       if it entered the kernel since it last ran user code, passes {@link ReturnToUser} with its
 *       accumulated reasons ({@link ExitToUser#SYSCALL}, {@code INTERRUPT}, {@code SWITCHED_IN},
 *       {@code MIGRATED} when it last ran user code on another CPU).
 * </ul>
 *
 * <h2>Context switch</h2>
 *
 * The machine is the scheduler's {@link SchedObserver}: a switch-in attaches the next task's
 * register context (by reference, no copy) and its process's address space and decoded program to
 * the core, charges {@link org.vcpusim.kernel.sched.SchedParams#contextSwitchCycles()} serialized
 * under {@link CostCategory#KERNEL_SWITCH} (a switch to idle too), tells the concurrency-id
 * allocator, and marks the task's next return to user; a switch-out raises rseq's preemption event
 * and a change of CPU its migration event. need_resched set on a running CPU is honoured at its
 * next boundary; on an idle CPU at once.
 *
 * <h2>Processes and threads</h2>
 *
 * See {@link UserLayout} for the address map, the thread start state, the exit sentinels and the
 * libc data. {@link #spawnProcess} loads a program into a fresh address space and starts its first
 * thread; {@link #spawnThread} adds one; {@code fork} (57) copies the address space; {@code execve}
 * (59) replaces the image with one registered by {@link #registerImage}; {@code exit} (60) and
 * {@code exit_group} (231) end a thread or the process and release what they held in the scheduler,
 * the cid allocator, rseq, signals and the memory maps (the address space stays readable). The
 * rseq, signal, membarrier and GS-mode subsystems are told of every fork, exec and exit. Task and
 * process ids share one space, dense from 1; a process's id is its first thread's.
 *
 * <h2>Checkers</h2>
 *
 * Every machine runs the ABI checkers its {@link MachineConfig#checks()} enables (all by default;
 * {@link Checkers}): they watch scheduling and kernel events, each return to user, and — once a
 * scenario declares per-id regions ({@link Checkers#declareRegions}) — every core's memory
 * accesses, and report violations as {@link Finding.Kind#CHECK_VIOLATION} findings. Further core
 * observers (meters, tracers, other checkers) share the cores through {@link #addCoreObserver}.
 *
 * <h2>Statistics</h2>
 *
 * {@link #stats()} (its gauges brought up to date each time it is called) holds per CPU {@code
 * cpuN.instructions}, {@code cpuN.cycles}, {@code cpuN.idle_ticks}, {@code cpuN.cycle_stack.<category>}, {@code
 * cpuN.ticks}, {@code cpuN.ipis}, {@code cpuN.switches}; {@code kernel.syscalls.<name>}, {@code
 * kernel.faults.<kind>}, {@code kernel.fatal_signals}, {@code kernel.ipis_sent}, {@code
 * kernel.return_to_user.<stage>}; {@code sched.switches}, {@code sched.switch_out.<reason>}, {@code
 * sched.migrations}, {@code sched.wakeups}, {@code sched.new_tasks}, {@code sched.balance_moves};
 * {@code machine.events}, {@code machine.now_ps}, {@code machine.tasks}, {@code
 * machine.live_tasks}; per cache core {@code cache.coreK.served.<level>}, {@code .transfers},
 * {@code .invalidations}; the {@link CidAccounting} figures; {@code check.<kind>.violations} for
 * every enabled checker; and the counters subsystems add as things happen ({@code rseq.*},
 * {@code gs_mode.*}: docs/abi.md lists the latter).
 *
 * <p><b>Caveats:</b> not thread-safe: one machine runs on one thread, and its API must not be
 * called from inside a run (from a syscall handler or a return-to-user step) except where noted.
 * User instructions are charged to {@link CostCategory#FAST_PATH}; telling fast path, slow path and
 * abort-restart code apart is the scenario's job. Cache lines are tagged by the process id, which
 * survives {@code execve}. No NO_HZ: ticks keep coming on idle CPUs (and do nothing there).
 */
public final class Machine implements KernelServices {
  /** The IPI that makes a running signal target enter the kernel ({@code kick_process()}). */
  private static final IntConsumer KICK = cpu -> {};
  /** Syscall numbers with a cached counter: the size of the {@link SyscallTable}. */
  private static final int SYSCALL_COUNTER_SLOTS = 512;

  private final MachineConfig config;
  private final CpuTopology topology;
  private final CpuProfile profile;
  private final long hz;
  private final int nrCpus;
  private final boolean exact;
  private final long quantumPs;

  private final EventQueue events = new EventQueue();
  private final RandomStreams random;
  private final StatsRegistry stats = new StatsRegistry();
  private final MemorySystem memory;
  private final Cpu[] cpus;
  private final CpuHeap running;

  private final FairScheduler scheduler;
  private final SyscallTable syscalls = new SyscallTable();
  private final SyscallContext syscallContext = new SyscallContext(this);
  private final ReturnToUser returnToUser = new ReturnToUser();
  private final ExitToUser exitToUser = new ExitToUser(this);
  private final CidAccounting cid;
  private final MemoryMaps memoryMaps = new MemoryMaps(UserLayout.MMAP_BASE);
  private final Signals signals;
  private final Rseq rseq;
  private final Membarrier membarrier;
  private final GsMode gsMode;
  /** The GS-mode access checker, once the first mm entered the mode; else null. */
  private GsAccessChecker gsAccessChecker;
  /** The context of system calls the machine makes on a thread's behalf (libc's rseq). */
  private final UserSetup userSetup;
  private final Checkers checkers;

  private final ArrayList<ThreadState> threads = new ArrayList<>();
  private final TreeMap<Integer, Process> processes = new TreeMap<>();
  private final TreeMap<Integer, ProcessOptions> processOptions = new TreeMap<>();
  private final TreeMap<String, Image> images = new TreeMap<>();
  private final List<Finding> findings = new ArrayList<>();
  private final List<SchedObserver> listeners = new ArrayList<>();
  private final KernelEventFanout kernelEvents = new KernelEventFanout();

  private final long tickPeriodPs;
  private final long balanceIntervalPs;
  private final long ipiLatencyPs;
  private final long syscallCycles;
  private final long interruptCycles;
  private final long switchCycles;
  private final int balanceEvent;
  private IntConsumer[] ipiHandlers = new IntConsumer[16];
  /** Per IPI event: the task whose system call waits for it, or 0. */
  private int[] ipiWaiter = new int[16];

  private final Counter[] syscallCounters = new Counter[SYSCALL_COUNTER_SLOTS];
  private final Counter[] switchOutCounters = new Counter[SwitchReason.values().length];
  private final Counter migrations;
  private final Counter wakeups;
  private final Counter newTasks;
  private final Counter balanceMoves;
  private final Counter ipisSent;
  private final Counter fatalSignals;

  private long now;
  private long nextEventTick;
  private boolean nextEventKnown;
  private boolean inRun;
  private boolean stopRequested;
  private boolean idleKick;
  private int liveTasks;
  private long eventsFired;
  private int nextId = 1;
  /** The task the kernel is running for (a syscall, fault or return to user), for findings. */
  private Task kernelTask;
  /** The task whose system call is being handled, or null: IPIs it sends are waited for. */
  private Task syscallTask;

  /** A registered executable for {@code execve}. */
  private record Image(AssembledProgram program, String entry) {}

  /** Builds an idle machine at time 0 with its periodic events scheduled. */
  public Machine(MachineConfig config) {
    this.config = Objects.requireNonNull(config);
    this.topology = config.topology();
    this.profile = config.profile();
    this.nrCpus = topology.nrCpus();
    this.hz = Math.round(profile.frequencyGhz() * 1e9);
    this.exact = config.timeMode() == TimeMode.EXACT;
    this.quantumPs = config.quantumPs();
    this.random = new RandomStreams(config.seed());
    this.memory = new MemorySystem(profile, topology.nrSockets(), topology.coresPerSocket());
    CpuFeatures features = CpuFeatures.of(profile.features());
    this.cpus = new Cpu[nrCpus];
    for (int i = 0; i < nrCpus; i++) {
      DataflowTimingModel timing = new DataflowTimingModel(profile, memory, topology.coreOf(i));
      Core core = new Core(i, features, timing);
      core.setTscAux(((long) topology.nodeOf(i) << 12) | i); // Linux: node << 12 | cpu
      cpus[i] = new Cpu(i, core, timing, hz);
    }
    this.running = new CpuHeap(nrCpus);
    this.scheduler = new FairScheduler(topology, config.sched(), new Observer());
    this.cid = new CidAccounting(config.cidAllocator().create(this, scheduler), this);

    this.tickPeriodPs = config.sched().tickPeriodPs();
    this.balanceIntervalPs = config.sched().balanceIntervalPs();
    this.ipiLatencyPs = Ticks.fromCycles(profile.kernel().ipiSendAndDeliver(), hz);
    this.syscallCycles = profile.kernel().syscallEntryExit();
    this.interruptCycles = profile.kernel().interruptEntryExit();
    this.switchCycles = config.sched().contextSwitchCycles();

    for (SwitchReason r : SwitchReason.values()) {
      switchOutCounters[r.ordinal()] =
          stats.counter("sched.switch_out." + r.name().toLowerCase(Locale.ROOT));
    }
    migrations = stats.counter("sched.migrations");
    wakeups = stats.counter("sched.wakeups");
    newTasks = stats.counter("sched.new_tasks");
    balanceMoves = stats.counter("sched.balance_moves");
    ipisSent = stats.counter("kernel.ipis_sent");
    fatalSignals = stats.counter("kernel.fatal_signals");

    SchedSyscalls.install(syscalls, this);
    ProcessSyscalls.install(syscalls, this);
    MmapSyscalls.install(syscalls, memoryMaps);
    this.signals = Signals.install(syscalls, returnToUser, this, this::signalWakeUp, syscallCycles);
    this.rseq = Rseq.install(syscalls, returnToUser, signals, this, config.rseq());
    this.membarrier =
        Membarrier.install(syscalls, this, rseq, profile.kernel().ipiSendAndDeliver());
    this.gsMode = GsMode.install(syscalls, returnToUser, this, config.gsMode(), profile.kernel(),
        profile.system(), features.has(CpuFeature.FSGSBASE),
        pid -> processOptions.get(pid).gsModeTunable(), this::installGsAccessChecker);
    listeners.add(gsMode.costs());
    this.userSetup = new UserSetup(memoryMaps, rseq.syscall(), new SyscallContext(this));
    this.checkers = new Checkers(config.checks(), this, scheduler, cid.policy(), rseq,
        (tick, cpu, tid, message) ->
            addFinding(new Finding(Finding.Kind.CHECK_VIOLATION, tick, cpu, tid, message)),
        this::addCoreObserver);
    addSchedObserver(checkers.schedObserver());
    addKernelEventListener(checkers.kernelEventListener());

    for (int i = 0; i < nrCpus; i++) {
      int tick = events.newEvent(this::tickFired, EventPriority.TIMER_EXPIRY, i);
      events.schedule(tick, tickPeriodPs);
    }
    balanceEvent = events.newEvent(this::balanceFired, EventPriority.SCHED_BALANCE);
    events.schedule(balanceEvent, balanceIntervalPs);
  }

  // ============================================================================ public API: setup

  public MachineConfig config() {
    return config;
  }

  public CpuTopology topology() {
    return topology;
  }

  public CpuProfile profile() {
    return profile;
  }

  /** The core frequency in Hz. */
  @Override
  public long frequencyHz() {
    return hz;
  }

  public FairScheduler scheduler() {
    return scheduler;
  }

  /** The system-call table; subsystems add their calls here before the first run. */
  public SyscallTable syscalls() {
    return syscalls;
  }

  /** The return-to-user pipeline; subsystems install their steps here before the first run. */
  public ReturnToUser returnToUser() {
    return returnToUser;
  }

  /** The concurrency-id allocator with its statistics. */
  public CidAccounting cid() {
    return cid;
  }

  public MemoryMaps memoryMaps() {
    return memoryMaps;
  }

  /** The signal subsystem. */
  public Signals signals() {
    return signals;
  }

  /** The rseq subsystem (registrations, abort counts by cause). */
  public Rseq rseq() {
    return rseq;
  }

  /** The membarrier system call. */
  public Membarrier membarrier() {
    return membarrier;
  }

  /** The random streams of this run (seeded from {@link MachineConfig#seed()}). */
  public RandomStreams random() {
    return random;
  }

  /** The GS mode: each mm's mode, the population and arch_prctl figures ({@code costs()}). */
  public GsMode gsMode() {
    return gsMode;
  }

  /**
   * The GS-mode access checker, installed on every core without an observer when the first mm
   * enters the mode (if {@link org.vcpusim.kernel.gsmode.GsModeConfig#accessChecker}); else null.
   */
  public GsAccessChecker gsAccessChecker() {
    return gsAccessChecker;
  }

  /**
   * The core of {@code cpu}. Its {@link Core#setObserver} replaces whatever observer the core has
   * (including those of {@link #addCoreObserver}); prefer {@link #addCoreObserver}.
   */
  public Core core(int cpu) {
    return cpus[cpu].core;
  }

  /**
   * Adds {@code observer} to every core, after the observers the cores already have (checkers,
   * meters, tracers): a core's first observer is installed directly, a second one turns it into a
   * fan-out. A core without observers costs nothing per instruction, so add observers only when
   * needed. Call it before or between runs.
   */
  public void addCoreObserver(CoreObserver observer) {
    Objects.requireNonNull(observer);
    for (Cpu c : cpus) {
      CoreObserver present = c.core.observer();
      if (present == null) {
        c.core.setObserver(observer);
      } else if (present instanceof CoreObserverFanout fanout) {
        fanout.add(observer);
      } else {
        c.core.setObserver(new CoreObserverFanout(present, observer));
      }
    }
  }

  /** The ABI checkers of this machine ({@link MachineConfig#checks()}). */
  public Checkers checkers() {
    return checkers;
  }

  /** Which checkers run and their quiet period. */
  public CheckConfig checkConfig() {
    return config.checks();
  }

  /** The shared cache hierarchy. */
  public MemorySystem memorySystem() {
    return memory;
  }

  /**
   * Adds a listener of the kernel events no scheduling hook carries (rseq aborts, cid changes, GS
   * base writes), for checkers and traces; it must not call the machine's control API.
   */
  public void addKernelEventListener(KernelEventListener listener) {
    kernelEvents.add(listener);
  }

  @Override
  public KernelEventListener events() {
    return kernelEvents;
  }

  /**
   * Adds a read-only observer of scheduling events, called after the machine has handled each (for
   * checkers and traces); it must not call the scheduler's operations.
   */
  public void addSchedObserver(SchedObserver observer) {
    listeners.add(Objects.requireNonNull(observer));
  }

  /** Makes {@code program} executable by {@code execve(path, ...)}, starting at {@code entry}. */
  public void registerImage(String path, AssembledProgram program, String entry) {
    images.put(Objects.requireNonNull(path), new Image(Objects.requireNonNull(program), entry));
  }

  /**
   * Starts a process: a fresh address space with {@code program}'s sections, the libc data and
   * exit pages ({@link UserLayout}), and a first thread at {@code options.entry()} whose return
   * ends the process. The thread is queued at once.
   *
   * @throws IllegalArgumentException if the entry symbol is missing or the image overlaps the
   *     machine's fixed pages
   */
  public Process spawnProcess(String name, AssembledProgram program, ProcessOptions options) {
    Objects.requireNonNull(options);
    long entry = program.address(options.entry());
    int pid = nextId++;
    Process p = new Process(pid, name, new AddressSpace(pid), new DecodedProgram(program));
    processes.put(pid, p);
    processOptions.put(pid, options);
    userSetup.loadImage(p, program, options.libcRseq());
    cid.mmInit(p, now);
    CpuMask affinity = options.affinity() != null ? options.affinity() : topology.all();
    createThread(p, pid, name, entry, toArray(options.args()), affinity,
        UserLayout.PROCESS_EXIT_ADDRESS, -1, 0);
    settle();
    return p;
  }

  /**
   * Adds a thread to {@code process} starting at {@code entrySymbol} with integer arguments (at
   * most six) and a requested affinity (null: every CPU); its return ends only the thread.
   */
  public Task spawnThread(
      Process process, String entrySymbol, long[] args, CpuMask affinity, String name) {
    return spawnThread(process, process.program().program().address(entrySymbol), args, affinity,
        name);
  }

  /** {@link #spawnThread(Process, String, long[], CpuMask, String)} at an address. */
  public Task spawnThread(
      Process process, long entryAddress, long[] args, CpuMask affinity, String name) {
    if (process.hasExited()) {
      throw new IllegalStateException(process + " has exited");
    }
    if (args.length > ProcessOptions.MAX_ARGS) {
      throw new IllegalArgumentException("at most six register arguments");
    }
    int tid = nextId++;
    Task t = createThread(process, tid, name, entryAddress, args,
        affinity != null ? affinity : topology.all(), UserLayout.THREAD_EXIT_ADDRESS, -1, 0);
    settle();
    return t;
  }

  // ========================================================================== public API: control

  /**
   * {@code sched_setaffinity()} on {@code task} from outside the simulation (between runs): its
   * requested mask becomes {@code mask}; a running or queued task whose CPU left the mask moves.
   *
   * @return 0, or {@code -EINVAL} when the mask holds no allowed CPU, {@code -ESRCH} if exited
   */
  public int setAffinity(Task task, CpuMask mask) {
    int r = scheduler.setAffinity(task.tid(), mask, now);
    settle();
    return r;
  }

  /**
   * Sends signal {@code sig} to thread {@code target} as {@code tgkill()} from outside the
   * simulation would ({@code SI_TKILL}, sender pid 0): it is delivered on the target's next return
   * to user mode (a running target is kicked with an IPI, a sleeping one woken).
   */
  public void sendSignal(Task target, int sig) {
    signals.sendToThread(target, new SigInfo().sent(sig, SignalNumbers.SI_TKILL, 0));
    settle();
  }

  /**
   * Injects a preemption of {@code task} at the instruction boundary where it stands (a fault
   * injection for tests and scenarios; call it between runs, e.g. after {@link #stop()} from a
   * {@link CoreObserver}): if it is running, it is switched out — through the idle task when
   * nothing else is runnable on its CPU — and switched back in, as a tick that handed its CPU to
   * another task would; it returns to user mode as {@code INTERRUPT | SWITCHED_IN}, with rseq's
   * PREEMPT event raised. The scheduler counts the switch-out as a sleep.
   *
   * @return whether the task was running
   */
  public boolean preempt(Task task) {
    SchedTask st = scheduler.task(task.tid());
    if (st == null || st.state() != TaskState.RUNNING) {
      return false;
    }
    thread(task).exitReasons |= ExitToUser.INTERRUPT;
    scheduler.sleep(task.tid(), now);
    scheduler.wake(task.tid(), now);
    settle();
    return true;
  }

  // ========================================================================== public API: running

  /** Runs for {@code ps} picoseconds of simulated time from {@link #now()}. */
  public RunOutcome runFor(long ps) {
    if (ps < 0) {
      throw new IllegalArgumentException("negative duration " + ps);
    }
    return runUntil(Math.addExact(now, ps));
  }

  /**
   * Runs until simulated time {@code end}: fires every event due at or before it and executes
   * every instruction that starts before it. Returns early when {@link #stop()} is called or no
   * task is left alive; the clock then stands at the end of the last CPU's work. Statistics are
   * published on return.
   *
   * @throws IllegalArgumentException if {@code end} is before {@link #now()}
   */
  public RunOutcome runUntil(long end) {
    if (end < now) {
      throw new IllegalArgumentException("end " + end + " is before now " + now);
    }
    if (inRun) {
      throw new IllegalStateException("the machine is already running");
    }
    inRun = true;
    try {
      settle();
      while (true) {
        if (stopRequested) {
          stopRequested = false;
          return finish(RunOutcome.STOPPED);
        }
        if (liveTasks == 0) {
          return finish(RunOutcome.ALL_EXITED);
        }
        long tEvent = nextEventTick();
        long tCpu = running.isEmpty() ? Long.MAX_VALUE : running.peekTime();
        if (tEvent <= tCpu) {
          if (tEvent > end) {
            break;
          }
          fireNextEvent();
        } else {
          if (tCpu >= end) {
            break;
          }
          now = tCpu;
          step(cpus[running.peek()]);
        }
        settle();
      }
      now = end;
      return finish(RunOutcome.TIME_LIMIT);
    } finally {
      inRun = false;
    }
  }

  /** Makes the current run return {@link RunOutcome#STOPPED} before its next step (callable from
   * inside the run, e.g. by a checker). */
  public void stop() {
    stopRequested = true;
  }

  /** Records a finding (for checkers). */
  public void addFinding(Finding finding) {
    findings.add(Objects.requireNonNull(finding));
  }

  /** Every finding so far, in the order they were made. */
  public List<Finding> findings() {
    return Collections.unmodifiableList(findings);
  }

  /** The statistics of the run, brought up to date. */
  public StatsRegistry stats() {
    publishStats();
    return stats;
  }

  /** {@link #stats()} as deterministic JSON. */
  public String statsJson() {
    return stats().toJson();
  }

  /** The process with id {@code pid}, or null. */
  public Process process(int pid) {
    return processes.get(pid);
  }

  /** Every process ever started, by id. */
  public Collection<Process> processes() {
    return Collections.unmodifiableCollection(processes.values());
  }

  /** Tasks not yet exited. */
  public int liveTasks() {
    return liveTasks;
  }

  /** Events fired so far. */
  public long eventsFired() {
    return eventsFired;
  }

  /** The scheduler's state of {@code task}. */
  public SchedTask schedTask(Task task) {
    return scheduler.task(task.tid());
  }

  /** Picoseconds {@code cpu} has been idle. */
  public long idlePs(int cpu) {
    Cpu c = cpus[cpu];
    if (c.idle) {
      c.idleUntil(now);
    }
    return c.idlePs;
  }

  /** The cycles {@code cpu} has charged to {@code category}. */
  public long cycles(int cpu, CostCategory category) {
    Cpu c = cpus[cpu];
    if (category == CostCategory.IDLE) {
      return Ticks.toCycles(idlePs(cpu), hz);
    }
    return c.cycleStack[category.ordinal()];
  }

  // ============================================================================ KernelServices

  @Override
  public long now() {
    return now;
  }

  @Override
  public int nrCpuIds() {
    return nrCpus;
  }

  @Override
  public int nodeOf(int cpu) {
    return topology.nodeOf(cpu);
  }

  @Override
  public int cpuOf(Task task) {
    return scheduler.task(task.tid()).cpu();
  }

  @Override
  public Task currentOn(int cpu) {
    return cpus[cpu].current;
  }

  @Override
  public Task task(int tid) {
    return tid > 0 && tid < threads.size() && threads.get(tid) != null
        ? threads.get(tid).task
        : null;
  }

  @Override
  public int mmCid(Task task) {
    return cid.cid(task);
  }

  /**
   * {@inheritDoc}
   *
   * <p>An IPI sent by a system call is waited for, as {@code smp_call_function_many(..., wait)}
   * waits: the caller stays in the kernel, its CPU spinning (charged to {@link
   * CostCategory#MEMBARRIER}), until every IPI its call sent has run on its target; a CPU that
   * spins this way handles the IPIs sent to it at once, as it would with interrupts enabled.
   */
  @Override
  public void sendIpi(int cpu, IntConsumer handler) {
    sendIpi(cpu, handler, syscallTask);
  }

  private void sendIpi(int cpu, IntConsumer handler, Task waiter) {
    Objects.requireNonNull(handler);
    int event = events.newEvent(this::ipiFired, EventPriority.IPI_DELIVERY, cpu);
    if (event >= ipiHandlers.length) {
      int n = Math.max(event + 1, ipiHandlers.length * 2);
      ipiHandlers = Arrays.copyOf(ipiHandlers, n);
      ipiWaiter = Arrays.copyOf(ipiWaiter, n);
    }
    ipiHandlers[event] = handler;
    ipiWaiter[event] = waiter == null ? 0 : waiter.tid();
    if (waiter != null) {
      thread(waiter).awaitedIpis++;
    }
    scheduleEvent(event, now + ipiLatencyPs);
    ipisSent.increment();
  }

  @Override
  public void charge(int cpu, long cycles, CostCategory category) {
    chargeOn(cpus[cpu], cycles, category);
  }

  @Override
  public void count(String name, long delta) {
    stats.counter(name).add(delta);
  }

  @Override
  public void killProcess(Process process, int signal, String reason) {
    if (process.hasExited()) {
      return;
    }
    Task culprit = kernelTask != null && kernelTask.process() == process ? kernelTask : null;
    if (culprit == null) {
      for (Task t : process.threads()) {
        if (!t.hasExited()) {
          culprit = t;
          break;
        }
      }
    }
    int cpu = -1;
    if (culprit != null) {
      SchedTask st = scheduler.task(culprit.tid());
      cpu = st != null ? st.cpu() : -1;
    }
    findings.add(new Finding(Finding.Kind.FATAL_SIGNAL, now, cpu,
        culprit != null ? culprit.tid() : -1, reason));
    fatalSignals.increment();
    exitGroup(process, signal, reason);
  }

  // ============================================================================ the run loop

  private RunOutcome finish(RunOutcome outcome) {
    if (outcome == RunOutcome.ALL_EXITED) {
      for (Cpu c : cpus) {
        now = Math.max(now, c.localTime());
      }
    }
    for (Cpu c : cpus) {
      if (c.idle) {
        c.idleUntil(now);
      }
    }
    // The gauges are published when someone reads them (stats()), not at the end of every run:
    // a caller running in short slices would otherwise rebuild them thousands of times.
    return outcome;
  }

  /** One turn of CPU {@code c} at its local time, which is {@link #now}. */
  private void step(Cpu c) {
    if (c.work != 0) {
      boundary(c);
      return;
    }
    Task t = c.current;
    long cyclesBefore = c.timing.cycle();
    CoreStatus status;
    if (exact) {
      status = c.core.step();
    } else {
      long limit = Math.min(now + quantumPs, nextEventTick());
      long target = Ticks.toCycles(Math.max(0, limit - c.idleOffsetPs), hz);
      status = c.core.runUntilCycle(Math.max(target, cyclesBefore + 1));
    }
    c.cycleStack[CostCategory.FAST_PATH.ordinal()] += c.timing.cycle() - cyclesBefore;
    switch (status) {
      case RETIRED:
      case STOPPED:
        running.set(c.id, c.localTime());
        return;
      case SYSCALL:
        kernelTask = t;
        syscall(c, t);
        if (c.current == t && thread(t).awaitedIpis > 0) {
          c.waiting = true;
          running.remove(c.id);
          kernelTask = null;
          return;
        }
        break;
      case FAULT:
        kernelTask = t;
        fault(c, t);
        break;
      case NO_INSTRUCTION:
        kernelTask = t;
        noInstruction(c, t);
        break;
      default:
        throw new IllegalStateException("core status " + status);
    }
    exitToUser(c);
    kernelTask = null;
    updateHeap(c);
  }

  /** Work pending at {@code c}'s boundary: interrupts, need_resched, a return to user. */
  private void boundary(Cpu c) {
    int work = c.work;
    c.work = 0;
    kernelTask = c.current;
    if ((work & Cpu.WORK_TICK) != 0) {
      int n = c.pendingTicks;
      c.pendingTicks = 0;
      for (int i = 0; i < n && c.current != null; i++) {
        interruptEntry(c);
        c.ticks++;
        scheduler.tick(c.id, now);
        if (c.current != null) {
          cid.tick(c.id, c.current, now);
        }
      }
    }
    if ((work & Cpu.WORK_IPI) != 0) {
      Cpu.Ipi ipi;
      while ((ipi = c.ipis.poll()) != null) {
        interruptEntry(c);
        handleIpi(c, ipi);
      }
    }
    exitToUser(c);
    kernelTask = null;
    updateHeap(c);
  }

  /** Charges an interrupt's entry and exit and marks the interrupted task's return. */
  private void interruptEntry(Cpu c) {
    chargeOn(c, interruptCycles, CostCategory.RETURN_TO_USER);
    if (c.current != null) {
      thread(c.current).exitReasons |= ExitToUser.INTERRUPT;
    }
  }

  /**
   * {@code exit_to_user_mode_loop()}: schedule while need_resched is set, then take the current
   * task through the return-to-user pipeline if it entered the kernel since it last ran user code;
   * a task that passed it and leaves the loop as the CPU's current task resumes user code now,
   * which the checkers are told ({@link Checkers#userResume}).
   */
  private void exitToUser(Cpu c) {
    Task resumed = null;
    while (true) {
      Task t = c.current;
      if (t == null) {
        break;
      }
      if (scheduler.needsResched(c.id)) {
        scheduler.schedule(c.id, now);
        continue;
      }
      ThreadState th = thread(t);
      int reasons = th.exitReasons;
      if (reasons == 0) {
        if (t == resumed) {
          checkers.userResume(c.id, t);
        }
        break;
      }
      th.exitReasons = 0;
      kernelTask = t;
      if (returnToUser.run(exitToUser.begin(t, c.id, reasons))) {
        th.lastUserCpu = c.id;
        resumed = t;
      }
    }
    c.work &= ~(Cpu.WORK_RETURN | Cpu.WORK_RESCHED);
  }

  private void updateHeap(Cpu c) {
    if (c.idle || c.waiting) {
      running.remove(c.id);
    } else {
      running.set(c.id, c.localTime());
    }
  }

  /**
   * Handles idle CPUs that were given work (need_resched or an IPI) by the last operation: an idle
   * CPU is at an instruction boundary at every instant, so it acts at once.
   */
  private void settle() {
    while (idleKick) {
      idleKick = false;
      for (Cpu c : cpus) {
        if (!c.idle || c.work == 0) {
          continue;
        }
        int work = c.work;
        c.work = 0;
        c.pendingTicks = 0;
        if ((work & Cpu.WORK_IPI) != 0) {
          Cpu.Ipi ipi;
          while ((ipi = c.ipis.poll()) != null) {
            chargeOn(c, interruptCycles, CostCategory.RETURN_TO_USER);
            handleIpi(c, ipi);
          }
        }
        if (c.idle && scheduler.needsResched(c.id)) {
          scheduler.schedule(c.id, now);
        }
      }
    }
  }

  /**
   * Charges {@code cycles} serialized on {@code c}; the category gets the whole advance of the
   * CPU's clock, including the drain of in-flight work that serialization waits for.
   */
  private void chargeOn(Cpu c, long cycles, CostCategory category) {
    if (c.idle) {
      c.idleUntil(now);
    }
    long before = c.timing.cycle();
    c.timing.chargeSerializing(cycles);
    c.cycleStack[category.ordinal()] += c.timing.cycle() - before;
    if (!c.idle && !c.waiting) {
      running.set(c.id, c.localTime());
    }
  }

  // ============================================================================ events

  private long nextEventTick() {
    if (!nextEventKnown) {
      nextEventTick = events.isEmpty() ? Long.MAX_VALUE : events.peekTick();
      nextEventKnown = true;
    }
    return nextEventTick;
  }

  private void scheduleEvent(int event, long tick) {
    events.reschedule(event, tick);
    nextEventKnown = false;
  }

  private void cancelEvent(int event) {
    events.cancel(event);
    nextEventKnown = false;
  }

  private void fireNextEvent() {
    int event = events.pop();
    nextEventKnown = false;
    now = events.now();
    eventsFired++;
    events.handler(event).fire(now, event, events.payload(event));
  }

  private void tickFired(long tick, int event, long payload) {
    Cpu c = cpus[(int) payload];
    if (!c.idle) {
      c.pendingTicks++;
      c.work |= Cpu.WORK_TICK;
    }
    scheduleEvent(event, tick + tickPeriodPs);
  }

  private void balanceFired(long tick, int event, long payload) {
    balanceMoves.add(scheduler.balance(tick));
    scheduleEvent(event, tick + balanceIntervalPs);
  }

  private void ipiFired(long tick, int event, long payload) {
    Cpu.Ipi ipi = new Cpu.Ipi(ipiHandlers[event], ipiWaiter[event]);
    ipiHandlers[event] = null;
    events.release(event);
    Cpu c = cpus[(int) payload];
    if (c.idle || c.waiting) {
      chargeOn(c, interruptCycles, CostCategory.RETURN_TO_USER);
      handleIpi(c, ipi);
    } else {
      c.ipis.add(ipi);
      c.work |= Cpu.WORK_IPI;
    }
  }

  /** Runs an IPI's handler on {@code c}; the last IPI a waiting system call sent releases it. */
  private void handleIpi(Cpu c, Cpu.Ipi ipi) {
    c.ipisHandled++;
    ipi.handler().accept(c.id);
    if (ipi.waiter() == 0) {
      return;
    }
    ThreadState th = threads.get(ipi.waiter());
    if (--th.awaitedIpis > 0 || th.task.hasExited()) {
      return;
    }
    SchedTask st = scheduler.task(th.task.tid());
    Cpu w = cpus[st.cpu()];
    if (w.waiting && w.current == th.task) {
      w.waiting = false;
      long gap = now - w.localTime();
      if (gap > 0) {
        long cycles = Ticks.toCycles(gap, hz);
        if (Ticks.fromCycles(cycles, hz) < gap) {
          cycles++;
        }
        chargeOn(w, cycles, CostCategory.MEMBARRIER);
      }
      w.work |= Cpu.WORK_RETURN;
      running.set(w.id, w.localTime());
    }
  }

  private void sleepExpired(long tick, int event, long payload) {
    ThreadState th = threads.get((int) payload);
    if (!th.sleeping) {
      return;
    }
    th.sleeping = false;
    th.task.context().set(Registers.RAX, 0);
    scheduler.wake(th.task.tid(), tick);
  }

  // ============================================================================ kernel entries

  private void syscall(Cpu c, Task t) {
    chargeOn(c, syscallCycles, CostCategory.RETURN_TO_USER);
    long nr = t.context().get(Registers.RAX);
    syscallCounter(nr).increment();
    SyscallHandler handler = syscalls.handler(nr);
    syscallContext.begin(t, c.id);
    syscallTask = t;
    long ret;
    try {
      ret = handler == null ? Errno.fail(Errno.ENOSYS) : handler.call(syscallContext);
    } finally {
      syscallTask = null;
    }
    if (!syscallContext.hasNoReturnValue()) {
      t.context().set(Registers.RAX, ret);
    }
    if (!t.hasExited() && rseq.rseqSyscall(t)) {
      thread(t).exitReasons |= ExitToUser.SYSCALL;
    }
  }

  private Counter syscallCounter(long nr) {
    if (nr < 0 || nr >= SYSCALL_COUNTER_SLOTS) {
      return stats.counter("kernel.syscalls.out_of_range");
    }
    Counter counter = syscallCounters[(int) nr];
    if (counter == null) {
      counter = stats.counter("kernel.syscalls." + syscalls.name(nr));
      syscallCounters[(int) nr] = counter;
    }
    return counter;
  }

  /** A CPU exception in user code: the signal it raises is delivered on the way out. */
  private void fault(Cpu c, Task t) {
    chargeOn(c, interruptCycles, CostCategory.RETURN_TO_USER);
    count("kernel.faults." + c.core.trap().kind().name().toLowerCase(Locale.ROOT), 1);
    signals.forceTrap(t, c.core.trap());
    thread(t).exitReasons |= ExitToUser.EXCEPTION;
  }

  /**
   * RIP at no instruction: an exit sentinel ({@link UserLayout}), or else a wild jump, which
   * raises SIGSEGV ({@code SI_KERNEL}, the address in {@code si_addr}).
   */
  private void noInstruction(Cpu c, Task t) {
    long rip = t.context().rip();
    long rax = t.context().get(Registers.RAX);
    if (rip == UserLayout.THREAD_EXIT_ADDRESS) {
      exitTask(t, rax, "exit of its last thread (returned " + rax + ")");
    } else if (rip == UserLayout.PROCESS_EXIT_ADDRESS) {
      exitGroup(t.process(), rax & 0xff, "exit_group(" + (rax & 0xff) + ") on return from entry");
    } else {
      chargeOn(c, interruptCycles, CostCategory.RETURN_TO_USER);
      count("kernel.faults.no_instruction", 1);
      signals.forceSignal(t, SignalNumbers.SIGSEGV, SignalNumbers.SI_KERNEL, rip);
      thread(t).exitReasons |= ExitToUser.EXCEPTION;
    }
  }

  /**
   * {@code signal_wake_up()}: a task sleeping in nanosleep wakes with {@code -EINTR} (and the time
   * left in {@code rem}); a task running on another CPU is kicked with an IPI so that it enters
   * the kernel and meets the signal on its way back to user mode.
   */
  private void signalWakeUp(Task t) {
    ThreadState th = thread(t);
    if (th.sleeping) {
      th.sleeping = false;
      cancelEvent(th.sleepEvent);
      long ret = Errno.fail(Errno.EINTR);
      long left = th.sleepUntil - now;
      if (th.sleepRemainder != 0 && left > 0) {
        byte[] ts = new byte[16];
        UserCopy.putLong(ts, 0, left / Ticks.PER_SECOND);
        UserCopy.putLong(ts, 8, (left % Ticks.PER_SECOND) / Ticks.PER_NANOSECOND);
        if (!UserCopy.write(t.process().addressSpace(), th.sleepRemainder, ts, ts.length)) {
          ret = Errno.fail(Errno.EFAULT);
        }
      }
      t.context().set(Registers.RAX, ret);
      scheduler.wake(t.tid(), now);
      return;
    }
    SchedTask st = scheduler.task(t.tid());
    if (st.state() == TaskState.RUNNING && t != kernelTask) {
      sendIpi(st.cpu(), KICK, null);
    }
  }

  // ============================================================================ processes

  private Task createThread(
      Process p,
      int tid,
      String name,
      long entry,
      long[] args,
      CpuMask affinity,
      long returnAddress,
      int parentTid,
      int nice) {
    ThreadContext ctx = new ThreadContext();
    userSetup.setUpThread(p, ctx, entry, args, returnAddress, processOptions.get(p.pid()));
    Task t = new Task(tid, p, ctx, name);
    register(t);
    scheduler.spawn(tid, p.pid(), affinity, nice, parentTid, now);
    cid.fork(t, now);
    libcStartThread(t);
    return t;
  }

  /** glibc's {@code start_thread()} work for {@code t}, if its process lets libc register rseq. */
  private void libcStartThread(Task t) {
    if (processOptions.get(t.process().pid()).libcRseq()
        && !userSetup.registerRseq(t, scheduler.task(t.tid()).cpu())) {
      count("machine.libc_rseq_failures", 1);
    }
  }

  private ThreadState register(Task t) {
    t.process().addThread(t);
    while (threads.size() <= t.tid()) {
      threads.add(null);
    }
    ThreadState th = new ThreadState(t);
    threads.set(t.tid(), th);
    liveTasks++;
    newTasks.increment();
    return th;
  }

  ThreadState thread(Task t) {
    return threads.get(t.tid());
  }

  /** {@code fork()} by {@code parent}: a copy of its process with one thread; returns its pid. */
  int fork(Task parent) {
    Process pp = parent.process();
    int pid = nextId++;
    Process child = new Process(pid, pp.name(), pp.addressSpace().fork(pid), pp.program());
    processes.put(pid, child);
    processOptions.put(pid, processOptions.get(pp.pid()));
    memoryMaps.fork(pp.pid(), pid);
    cid.mmInit(child, now);
    ThreadContext ctx = parent.context().copy();
    ctx.set(Registers.RAX, 0);
    Task t = new Task(pid, child, ctx, parent.name());
    ThreadState th = register(t);
    th.exitReasons = ExitToUser.SYSCALL;
    rseq.onFork(parent, t, false);
    signals.onClone(parent, t, true);
    membarrier.onFork(pp, child);
    gsMode.onFork(parent, t);
    SchedTask ps = scheduler.task(parent.tid());
    scheduler.spawn(pid, pid, ps.userMask(), ps.nice(), parent.tid(), now);
    cid.fork(t, now);
    return pid;
  }

  /**
   * {@code execve()} of the image registered at {@code path} by {@code task}, current on {@code
   * cpu}: the other threads end, the address space is replaced, the task restarts at the image's
   * entry with a fresh stack and TLS block.
   *
   * @return false when no image is registered at {@code path}
   */
  boolean exec(Task task, int cpu, String path) {
    Image image = images.get(path);
    if (image == null) {
      return false;
    }
    Process p = task.process();
    long entry = image.program().address(image.entry());
    for (Task other : p.threads()) {
      if (other != task && !other.hasExited()) {
        exitTask(other, SignalNumbers.SIGKILL, null);
      }
    }
    cid.beforeExec(task, cpu, now);
    rseq.onExec(task);
    signals.onExec(task);
    membarrier.onExec(p);
    gsMode.onExec(task);
    p.replaceImage(new AddressSpace(p.pid()), new DecodedProgram(image.program()));
    userSetup.loadImage(p, image.program(), processOptions.get(p.pid()).libcRseq());
    userSetup.setUpThread(p, task.context(), entry, new long[0], UserLayout.PROCESS_EXIT_ADDRESS,
        processOptions.get(p.pid()));
    cpus[cpu].core.attach(task.context(), p.addressSpace(), p.program());
    cid.afterExec(task, cpu, now);
    libcStartThread(task);
    return true;
  }

  /**
   * Ends {@code t} with {@code code}: its sleep is cancelled, the scheduler removes it (switching
   * its CPU if it was running) and the cid allocator releases it; the process ends with {@code
   * processReason} when it was its last thread.
   */
  void exitTask(Task t, long code, String processReason) {
    if (t.hasExited()) {
      return;
    }
    ThreadState th = thread(t);
    if (th.sleepEvent >= 0) {
      events.release(th.sleepEvent);
      nextEventKnown = false;
      th.sleepEvent = -1;
    }
    th.sleeping = false;
    th.exitReasons = 0;
    t.markExited(code);
    liveTasks--;
    rseq.onExit(t);
    signals.onExit(t);
    gsMode.onExit(t);
    scheduler.exit(t.tid(), now);
    Process p = t.process();
    if (p.liveThreads() == 0 && !p.hasExited()) {
      p.markExited(processReason != null ? processReason : "exit of its last thread");
      processEnded(p);
    }
  }

  /** Ends every thread of {@code p} with {@code code}. */
  void exitGroup(Process p, long code, String reason) {
    if (p.hasExited()) {
      return;
    }
    p.markExited(reason);
    for (Task t : p.threads()) {
      if (!t.hasExited()) {
        exitTask(t, code, reason);
      }
    }
    processEnded(p);
  }

  /**
   * Releases what a process that lost its last thread held in the cid allocator and the memory
   * maps; its address space stays readable, so that results can be inspected after the run.
   */
  private void processEnded(Process p) {
    cid.mmRelease(p, now);
    memoryMaps.release(p.pid());
    gsMode.onMmRelease(p);
  }

  /**
   * Installs the {@link GsAccessChecker} on every core (called once, when the first mm enters the
   * GS mode), unless the configuration turns it off.
   */
  private void installGsAccessChecker() {
    if (!config.gsMode().accessChecker() || !config.checks().isEnabled(CheckKind.GS_ACCESS)) {
      return;
    }
    gsAccessChecker = new GsAccessChecker(gsMode, (tick, cpu, tid, message) ->
        checkers.report(CheckKind.GS_ACCESS, tick, cpu, tid, message));
    addCoreObserver(gsAccessChecker);
  }

  /** {@code nanosleep()} of the running task {@code t} for {@code durationPs}. */
  void nanosleep(Task t, long durationPs, long remainderAddress) {
    ThreadState th = thread(t);
    th.sleeping = true;
    th.sleepUntil = durationPs > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + durationPs;
    th.sleepRemainder = remainderAddress;
    if (th.sleepEvent < 0) {
      th.sleepEvent = events.newEvent(this::sleepExpired, EventPriority.WAKEUP, t.tid());
    }
    scheduleEvent(th.sleepEvent, th.sleepUntil);
    scheduler.sleep(t.tid(), now);
  }

  // ============================================================================ statistics

  private void publishStats() {
    for (Cpu c : cpus) {
      if (c.idle) {
        c.idleUntil(now);
      }
      String p = "cpu" + c.id + ".";
      stats.longGauge(p + "instructions").set(c.core.retiredInstructions());
      stats.longGauge(p + "cycles").set(c.timing.cycle());
      stats.longGauge(p + "idle_ticks").set(c.idlePs);
      stats.longGauge(p + "ticks").set(c.ticks);
      stats.longGauge(p + "ipis").set(c.ipisHandled);
      stats.longGauge(p + "switches").set(c.switches);
      for (CostCategory cat : CostCategory.values()) {
        long v =
            cat == CostCategory.IDLE ? Ticks.toCycles(c.idlePs, hz) : c.cycleStack[cat.ordinal()];
        stats.longGauge(p + "cycle_stack." + cat.name().toLowerCase(Locale.ROOT)).set(v);
      }
    }
    for (int core = 0; core < memory.coreCount(); core++) {
      String p = "cache.core" + core + ".";
      for (MemoryLevel level : MemoryLevel.values()) {
        if (level == MemoryLevel.NONE) {
          continue;
        }
        stats.longGauge(p + "served." + level.name().toLowerCase(Locale.ROOT))
            .set(memory.hits(core, level));
      }
      stats.longGauge(p + "transfers").set(memory.transfers(core));
      stats.longGauge(p + "invalidations").set(memory.invalidations(core));
    }
    for (ReturnToUser.Stage stage : ReturnToUser.Stage.values()) {
      stats.longGauge("kernel.return_to_user." + stage.name().toLowerCase(Locale.ROOT))
          .set(returnToUser.runs(stage));
    }
    stats.longGauge("sched.switches").set(scheduler.nrSwitches());
    stats.longGauge("machine.events").set(eventsFired);
    stats.longGauge("machine.now_ps").set(now);
    stats.longGauge("machine.tasks").set(nextId - 1L);
    stats.longGauge("machine.live_tasks").set(liveTasks);
    cid.publish(stats);
  }

  private static long[] toArray(List<Long> values) {
    long[] a = new long[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = values.get(i);
    }
    return a;
  }

  // ============================================================================ the observer

  /** The machine's side of every scheduling event. */
  private final class Observer implements SchedObserver {
    @Override
    public void switchOut(int cpu, SchedTask prev, SwitchReason reason, long at) {
      Cpu c = cpus[cpu];
      Task t = task(prev.id());
      switchOutCounters[reason.ordinal()].increment();
      if (reason != SwitchReason.EXIT) {
        rseq.onPreempt(t);
      }
      cid.switchOut(cpu, t, at);
      c.waiting = false;
      c.current = null;
      c.core.detach();
      for (SchedObserver l : listeners) {
        l.switchOut(cpu, prev, reason, at);
      }
    }

    @Override
    public void switchIn(int cpu, SchedTask next, long at) {
      Cpu c = cpus[cpu];
      Task t = task(next.id());
      ThreadState th = thread(t);
      if (c.idle) {
        c.idleUntil(at);
        c.idle = false;
      }
      c.current = t;
      Process p = t.process();
      c.core.attach(t.context(), p.addressSpace(), p.program());
      c.switches++;
      chargeOn(c, switchCycles, CostCategory.KERNEL_SWITCH);
      cid.switchIn(cpu, t, at);
      th.exitReasons |= ExitToUser.SWITCHED_IN;
      if (th.lastUserCpu >= 0 && th.lastUserCpu != cpu) {
        th.exitReasons |= ExitToUser.MIGRATED;
      }
      c.work |= Cpu.WORK_RETURN;
      running.set(cpu, c.localTime());
      for (SchedObserver l : listeners) {
        l.switchIn(cpu, next, at);
      }
    }

    @Override
    public void idle(int cpu, long at) {
      Cpu c = cpus[cpu];
      c.switches++;
      chargeOn(c, switchCycles, CostCategory.KERNEL_SWITCH);
      c.current = null;
      c.idle = true;
      c.pendingTicks = 0;
      c.work &= Cpu.WORK_IPI;
      if (c.work != 0) {
        idleKick = true;
      }
      running.remove(cpu);
      for (SchedObserver l : listeners) {
        l.idle(cpu, at);
      }
    }

    @Override
    public void reschedule(int cpu, long at) {
      Cpu c = cpus[cpu];
      c.work |= Cpu.WORK_RESCHED;
      if (c.idle) {
        idleKick = true;
      }
      for (SchedObserver l : listeners) {
        l.reschedule(cpu, at);
      }
    }

    @Override
    public void wakeup(SchedTask task, int cpu, long at) {
      wakeups.increment();
      for (SchedObserver l : listeners) {
        l.wakeup(task, cpu, at);
      }
    }

    @Override
    public void wakeupNew(SchedTask task, int cpu, long at) {
      for (SchedObserver l : listeners) {
        l.wakeupNew(task, cpu, at);
      }
    }

    @Override
    public void migrated(SchedTask task, int fromCpu, int toCpu, long at) {
      migrations.increment();
      Task t = task(task.id());
      rseq.onMigrate(t);
      cid.migrated(t, fromCpu, toCpu, at);
      for (SchedObserver l : listeners) {
        l.migrated(task, fromCpu, toCpu, at);
      }
    }

    @Override
    public void cpusAllowedChanged(SchedTask task, long at) {
      cid.cpusAllowedChanged(task(task.id()), at);
      for (SchedObserver l : listeners) {
        l.cpusAllowedChanged(task, at);
      }
    }

    @Override
    public void exited(SchedTask task, long at) {
      cid.exit(task(task.id()), at);
      for (SchedObserver l : listeners) {
        l.exited(task, at);
      }
    }
  }
}
