package org.vcpusim.scenarios.asm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.vcpusim.cpu.cache.MemorySystem;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.cpu.exec.CoreStatus;
import org.vcpusim.cpu.exec.CpuFeatures;
import org.vcpusim.cpu.exec.DecodedProgram;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.exec.MemoryLevel;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.exec.Trap;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Symbol;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.cpu.timing.DataflowTimingModel;

/**
 * Runs one routine of an assembly file the way a native benchmark loop {@code for (i = 0; i < N;
 * i++) routine();} would, on one simulated core with the {@link DataflowTimingModel} and the
 * profile's caches, and measures it: the engine of {@code vcpusim asm}.
 *
 * <h2>The process</h2>
 *
 * {@link ProcessImage}: the file linked against glibc's {@code __rseq_offset}, a TLS block with the
 * rseq area at FS base + {@code __rseq_offset}, a stack, and a call driver {@code 1: call *%rbx;
 * decq %r12; jnz 1b} (the native calibration's loop). There is no kernel: a {@code syscall} stops
 * the run ({@link RoutineStopped.Reason#SYSCALL}), as does a fault, a return with RBX, R12 or RSP
 * changed, or running out of {@link RoutineOptions#maxInstructions()}.
 *
 * <h2>What runs, in order</h2>
 *
 * All four runs execute on one core whose caches, predictors and timing state carry over from
 * run to run; the first three run on copies of the initial memory (same address-space id, so the
 * cache lines they touch are the measured run's lines), which are then discarded. So the memory,
 * the registers and the dumps reported are those after exactly N = {@code --iterations} calls, as
 * the user asked, while the measured calls find warm caches and trained predictors as the calls of
 * a native loop after its warm-up do. Each run starts with the pipeline drained ({@code
 * TimingModel.chargeSerializing(0)}); inside a run the calls follow each other back to back.
 *
 * <ol>
 *   <li><b>cold</b>: one call on a fresh machine (empty caches, untrained predictors, empty
 *       pipeline). {@code latency.cold} = the retire cycle of the routine's {@code ret} minus the
 *       cycle before the driver's {@code call}.
 *   <li><b>warm-up</b>: W = min(N, {@value #MAX_WARMUP}) calls.
 *   <li><b>warm</b>: one call. {@code latency.warm} = the retire cycle of its {@code ret} minus
 *       the drained cycle before it.
 *   <li><b>measured</b>: N calls on the real memory.
 *       {@code cyclesPerIteration} = (retire cycle of the driver's final, not-taken {@code jnz} −
 *       the drained cycle) / N. It includes the driver's call/dec/jnz like the native figure it is
 *       compared with (benchmarks/calibrate), one pipeline fill at the start and the drain of the
 *       last call at the end (together about one call's latency, spread over N).
 *       {@code routineCyclesPerIteration} is the sum of the file's instructions' retire cycles
 *       (cycles between the previous retirement and theirs) over N: the same total without the
 *       retire cycles charged to the driver's three instructions. Every per-instruction and
 *       per-iteration figure of the report is counted over this run only.
 * </ol>
 *
 * <p>Thread-safe: each run builds its own machine.
 */
public final class RoutineRunner {
  /** The warm-up run's length cap. */
  public static final long MAX_WARMUP = 1000;

  private static final MemoryLevel[] LEVELS = MemoryLevel.values();

  private RoutineRunner() {}

  /**
   * Reads {@code file} (UTF-8) and runs it; source locations name the file as given.
   *
   * @throws IOException when the file cannot be read
   * @throws org.vcpusim.cpu.asm.AsmException for an error in the source
   * @throws RoutineInputException for a bad option (entry, profile, dump, GS base)
   */
  public static RoutineResult runFile(Path file, RoutineOptions options) throws IOException {
    String source = Files.readString(file, StandardCharsets.UTF_8);
    return run(source, file.toString(), options);
  }

  /**
   * Assembles {@code source} and runs its routine.
   *
   * @throws org.vcpusim.cpu.asm.AsmException for an error in the source
   * @throws RoutineInputException for a bad option (entry, profile, dump, GS base)
   */
  public static RoutineResult run(String source, String fileName, RoutineOptions options) {
    CpuProfile profile = profile(options.profile());
    ProcessImage image = ProcessImage.build(source, fileName);
    return new Run(image, profile, options).execute();
  }

  private static CpuProfile profile(String name) {
    List<String> known = CpuProfiles.names();
    if (!known.contains(name)) {
      throw new RoutineInputException("unknown profile '" + name + "'; known profiles: "
          + String.join(", ", known));
    }
    return CpuProfiles.load(name);
  }

  /** One run: resolves the options against the image, builds the machine, runs the phases. */
  private static final class Run {
    private final ProcessImage image;
    private final AssembledProgram program;
    private final CpuProfile profile;
    private final RoutineOptions options;
    private final long entry;
    private final long gsBase;
    private final List<long[]> dumpRanges = new ArrayList<>();
    private final DataflowTimingModel model;
    private final Core core;
    private final DecodedProgram decoded;
    private final Probe probe;
    private long budget;

    Run(ProcessImage image, CpuProfile profile, RoutineOptions options) {
      this.image = image;
      this.program = image.program();
      this.profile = profile;
      this.options = options;
      this.decoded = new DecodedProgram(program);
      this.entry = resolveEntry(options.entry());
      this.gsBase = options.gsBase() == null ? 0 : resolve(options.gsBase(), "--gs-base");
      for (DumpRequest d : options.dumps()) {
        long a = resolve(d.location(), "--dump");
        checkMapped(d, a);
        dumpRanges.add(new long[] {a, d.bytes()});
      }
      MemorySystem memory = new MemorySystem(profile, 1, 1);
      this.model = new DataflowTimingModel(profile, memory, 0);
      this.core = new Core(0, CpuFeatures.of(profile.features()), model);
      this.probe = new Probe(image, model, program.instructionCount(), entry);
      core.setObserver(probe);
      this.budget = options.maxInstructions();
    }

    private long resolveEntry(String name) {
      Optional<Symbol> s = program.symbol(name);
      if (s.isEmpty()) {
        StringJoiner labels = new StringJoiner(", ");
        for (Symbol sym : program.symbols().values()) {
          if (sym.section() != null && decoded.indexOf(sym.value()) >= 0) {
            labels.add(sym.name());
          }
        }
        throw new RoutineInputException("unknown entry symbol '" + name + "' in "
            + program.fileName() + (labels.length() == 0 ? "; it defines no code label"
                : "; code labels: " + labels));
      }
      long a = s.get().value();
      if (decoded.indexOf(a) < 0 || image.isDriver(a)) {
        throw new RoutineInputException(String.format(Locale.ROOT,
            "entry symbol '%s' (%#x) is not the start of an instruction in %s", name, a,
            program.fileName()));
      }
      return a;
    }

    private long resolve(String location, String option) {
      if (Numbers.looksNumeric(location)) {
        try {
          return Numbers.parse(location);
        } catch (NumberFormatException e) {
          throw new RoutineInputException(option + " " + location
              + ": not an address (decimal or 0x hexadecimal) or a symbol");
        }
      }
      return program.symbol(location)
          .orElseThrow(() -> new RoutineInputException(option + " " + location
              + ": no symbol '" + location + "' in " + program.fileName()))
          .value();
    }

    private void checkMapped(DumpRequest d, long address) {
      AddressSpace space = image.initialSpace();
      long end = address + d.bytes();
      if (address < 0 || end < address || end > AddressSpace.USER_LIMIT) {
        throw new RoutineInputException(String.format(Locale.ROOT,
            "--dump %s:%d: %#x is outside the user address space", d.location(), d.bytes(),
            address));
      }
      for (long page = address & -AddressSpace.PAGE_SIZE; page < end;
          page += AddressSpace.PAGE_SIZE) {
        if (!space.isMapped(page)) {
          throw new RoutineInputException(String.format(Locale.ROOT,
              "--dump %s:%d: %#x..%#x is not mapped (page %#x)", d.location(), d.bytes(),
              address, end, page));
        }
      }
    }

    RoutineResult execute() {
      long n = options.iterations();
      long warmup = Math.min(n, MAX_WARMUP);

      Phase cold = phase("cold", image.freshSpace(), 1, false);
      if (cold.stopped != null) {
        return cold.stopped;
      }
      Phase warming = phase("warm-up", image.freshSpace(), warmup, false);
      if (warming.stopped != null) {
        return warming.stopped;
      }
      Phase warm = phase("warm", image.freshSpace(), 1, false);
      if (warm.stopped != null) {
        return warm.stopped;
      }
      Phase measured = phase("measured", image.initialSpace(), n, true);
      if (measured.stopped != null) {
        return measured.stopped;
      }
      return report(n, warmup, cold, warm, measured);
    }

    /** What one run gave: its start (drained) cycle, end cycle, last return, or why it stopped. */
    private static final class Phase {
      long start;
      long end;
      long lastReturn;
      ThreadContext context;
      RoutineStopped stopped;
    }

    private Phase phase(String name, AddressSpace space, long calls, boolean collect) {
      Phase p = new Phase();
      p.context = image.driverContext(entry, calls, gsBase);
      core.attach(p.context, space, decoded);
      model.chargeSerializing(0);
      p.start = model.cycle();
      probe.begin(name, calls, collect);
      long before = core.retiredInstructions();
      CoreStatus status = core.run(budget);
      budget -= core.retiredInstructions() - before;
      p.end = model.cycle();
      p.lastReturn = probe.lastReturn;
      if (probe.violation != null) {
        p.stopped = probe.violation;
      } else if (probe.finished) {
        return p;
      } else {
        p.stopped = stopped(status, name, p.context);
      }
      return p;
    }

    private RoutineStopped stopped(CoreStatus status, String phase, ThreadContext ctx) {
      long call = probe.returns + 1;
      switch (status) {
        case SYSCALL: {
          Instruction insn = core.record().insn;
          return new RoutineStopped(RoutineStopped.Reason.SYSCALL, phase, call, insn.address,
              insn.source, insn.text, String.format(Locale.ROOT,
                  "syscall %d (rax); asm mode runs no kernel: use a scenario to run with the "
                      + "kernel", ctx.get(Registers.RAX)));
        }
        case FAULT:
        case NO_INSTRUCTION: {
          Trap t = core.trap();
          Instruction insn = program.instructionAt(t.rip());
          String detail;
          if (status == CoreStatus.NO_INSTRUCTION) {
            detail = String.format(Locale.ROOT, "%s: no instruction starts at %#x (a jump into "
                + "data or into the middle of an instruction)", t.kind(), t.rip());
          } else if (t.access() != null) {
            detail = String.format(Locale.ROOT, "%s: %s at %#x (%s)", t.kind(),
                t.access().name().toLowerCase(Locale.ROOT), t.address(), t.memoryFault());
          } else {
            detail = t.kind().toString();
          }
          return new RoutineStopped(RoutineStopped.Reason.FAULT, phase, call, t.rip(),
              insn == null ? null : insn.source, insn == null ? null : insn.text, detail);
        }
        default: {
          long rip = ctx.rip();
          Instruction insn = program.instructionAt(rip);
          return new RoutineStopped(RoutineStopped.Reason.INSTRUCTION_LIMIT, phase, call, rip,
              insn == null ? null : insn.source, insn == null ? null : insn.text,
              String.format(Locale.ROOT, "%d instructions executed in all without the last call "
                  + "returning (--max-instructions)", options.maxInstructions()));
        }
      }
    }

    private RoutineReport report(long n, long warmup, Phase cold, Phase warm, Phase measured) {
      Probe q = probe;
      double div = n;
      List<RoutineReport.InstructionStats> stats = new ArrayList<>();
      long instructions = 0;
      long loads = 0;
      long stores = 0;
      long branches = 0;
      long taken = 0;
      long conditional = 0;
      long mispredicted = 0;
      long routineCycles = 0;
      long driverInstructions = 0;
      long driverCycles = 0;
      for (int i = 0; i < q.count.length; i++) {
        if (q.count[i] == 0) {
          continue;
        }
        Instruction insn = program.instruction(i);
        if (image.isDriver(insn.address)) {
          driverInstructions += q.count[i];
          driverCycles += q.cycles[i];
          continue;
        }
        instructions += q.count[i];
        loads += q.loads[i];
        stores += q.stores[i];
        routineCycles += q.cycles[i];
        mispredicted += q.mispredicted[i];
        if (isBranch(insn.opcode)) {
          branches += q.count[i];
          taken += q.taken[i];
          if (insn.opcode == Opcode.JCC) {
            conditional += q.count[i];
          }
        }
        Map<MemoryLevel, Long> served = new EnumMap<>(MemoryLevel.class);
        for (MemoryLevel level : LEVELS) {
          long c = q.served[i * LEVELS.length + level.ordinal()];
          if (level != MemoryLevel.NONE && c != 0) {
            served.put(level, c);
          }
        }
        stats.add(new RoutineReport.InstructionStats(insn.address, insn.source, insn.text,
            q.count[i], (double) q.cycles[i] / q.count[i], q.loads[i], q.stores[i], q.taken[i],
            q.mispredicted[i], served));
      }
      Map<String, RoutineReport.Dump> dumps = new LinkedHashMap<>();
      AddressSpace space = image.initialSpace();
      for (int k = 0; k < dumpRanges.size(); k++) {
        long[] r = dumpRanges.get(k);
        byte[] b = new byte[(int) r[1]];
        if (!space.readIgnoringPermissions(r[0], b, 0, b.length)) {
          throw new IllegalStateException(String.format(Locale.ROOT,
              "dump at %#x was mapped before the run and is not now", r[0]));
        }
        String location = options.dumps().get(k).location();
        dumps.put(location, new RoutineReport.Dump(location, r[0], b));
      }
      ThreadContext ctx = measured.context;
      Map<String, Long> registers = new LinkedHashMap<>();
      for (int r = 0; r < Registers.COUNT; r++) {
        registers.put(Registers.name64(r), ctx.get(r));
      }
      registers.put("rflags", ctx.rflags());
      registers.put("fs_base", ctx.fsBase());
      registers.put("gs_base", ctx.gsBase());
      return new RoutineReport(
          program.fileName(),
          options.entry(),
          entry,
          profile.name(),
          n,
          warmup,
          (measured.end - measured.start) / div,
          routineCycles / div,
          new RoutineReport.Latency(cold.lastReturn - cold.start, warm.lastReturn - warm.start),
          instructions / div,
          loads / div,
          stores / div,
          new RoutineReport.Branches(branches / div, taken / div, conditional / div,
              mispredicted / div),
          new RoutineReport.Driver(driverInstructions / div, driverCycles / div),
          stats,
          dumps,
          registers,
          new RoutineReport.Process(ProcessImage.THREAD_POINTER, gsBase,
              ProcessImage.rseqArea(), ProcessImage.RSEQ_OFFSET, ProcessImage.STACK_TOP));
    }
  }

  static boolean isBranch(Opcode op) {
    return op == Opcode.JMP || op == Opcode.JCC || op == Opcode.CALL || op == Opcode.RET;
  }

  /**
   * Watches every retired instruction: counts per instruction while collecting, notices the
   * routine's returns to the driver (checking the registers the driver relies on) and stops the
   * core at the driver's loop exit.
   *
   * <p><b>Caveat:</b> one per run; not thread-safe.
   */
  private static final class Probe implements CoreObserver {
    private final DataflowTimingModel model;
    private final long entry;
    private final long driverReturn;
    private final long driverLoopBranch;
    final long[] count;
    final long[] cycles;
    final long[] loads;
    final long[] stores;
    final long[] taken;
    final long[] mispredicted;
    final long[] served;

    private String phase;
    private long calls;
    private boolean collect;
    private long lastMispredictions;
    long returns;
    long lastReturn;
    boolean finished;
    RoutineStopped violation;

    Probe(ProcessImage image, DataflowTimingModel model, int instructions, long entry) {
      this.model = model;
      this.entry = entry;
      this.driverReturn = image.driverReturn();
      this.driverLoopBranch = image.driverLoopBranch();
      count = new long[instructions];
      cycles = new long[instructions];
      loads = new long[instructions];
      stores = new long[instructions];
      taken = new long[instructions];
      mispredicted = new long[instructions];
      served = new long[instructions * LEVELS.length];
    }

    void begin(String name, long callCount, boolean collecting) {
      phase = name;
      calls = callCount;
      collect = collecting;
      returns = 0;
      lastReturn = -1;
      finished = false;
      violation = null;
      lastMispredictions = model.mispredictions();
    }

    @Override
    public void onRetire(Core core, ExecutionRecord rec) {
      Instruction insn = rec.insn;
      long m = model.mispredictions();
      if (collect) {
        int i = insn.index;
        count[i]++;
        cycles[i] += rec.retireCycles;
        served[i * LEVELS.length + rec.servedBy.ordinal()]++;
        for (int k = 0; k < rec.accessCount; k++) {
          if (rec.write[k]) {
            stores[i]++;
          } else {
            loads[i]++;
          }
        }
        if (isBranch(insn.opcode) && (insn.opcode != Opcode.JCC || rec.branchTaken)) {
          taken[i]++;
        }
        mispredicted[i] += m - lastMispredictions;
      }
      lastMispredictions = m;
      if (insn.opcode == Opcode.RET && rec.nextRip == driverReturn) {
        returns++;
        lastReturn = model.cycle();
        checkDriverRegisters(core, insn);
      } else if (insn.address == driverLoopBranch && !rec.branchTaken) {
        finished = true;
        core.requestStop();
      }
    }

    /** RBX, R12 and RSP are the driver's, callee-saved in the SysV ABI. */
    private void checkDriverRegisters(Core core, Instruction ret) {
      ThreadContext c = core.context();
      long r12 = calls - (returns - 1);
      String broken = null;
      if (c.get(Registers.RBX) != entry) {
        broken = String.format(Locale.ROOT, "%%rbx is %#x, was %#x", c.get(Registers.RBX), entry);
      } else if (c.get(Registers.R12) != r12) {
        broken = String.format(Locale.ROOT, "%%r12 is %#x, was %#x", c.get(Registers.R12), r12);
      } else if (c.get(Registers.RSP) != ProcessImage.STACK_TOP) {
        broken = String.format(Locale.ROOT, "%%rsp is %#x after the return, %#x expected",
            c.get(Registers.RSP), ProcessImage.STACK_TOP);
      }
      if (broken != null) {
        violation = new RoutineStopped(RoutineStopped.Reason.CALLEE_SAVED_CLOBBERED, phase,
            returns, ret.address, ret.source, ret.text, broken
                + " (the driver keeps the routine's address in %rbx and the count in %r12, "
                + "which the SysV ABI makes callee-saved)");
        core.requestStop();
      }
    }
  }
}
