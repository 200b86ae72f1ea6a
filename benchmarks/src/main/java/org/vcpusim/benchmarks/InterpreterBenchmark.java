package org.vcpusim.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vcpusim.cpu.asm.Assembler;
import org.vcpusim.cpu.cache.MemorySystem;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreStatus;
import org.vcpusim.cpu.exec.CpuFeatures;
import org.vcpusim.cpu.exec.DecodedProgram;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.exec.TimingModel;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.mem.Loader;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;
import org.vcpusim.cpu.timing.DataflowTimingModel;

/**
 * Simulated instructions per second of one {@link Core} on one host thread (the sim-cpu speed
 * target: at least 100 million with the cost model and caches on). Throughput mode with {@value
 * #BATCH} operations per invocation, so the score is instructions per second.
 *
 * <p>Workload ({@code org/vcpusim/cpu/programs/slab-pop-push.s} in sim-cpu, the program {@code TimingGoldenTest} pins): a TCMalloc-style per-CPU slab malloc
 * and free in a counted loop, each iteration a Pop (rseq_cs store, id and header loads, the
 * begin-mark test and branch, the object and next-object loads, the commit store, a prefetch), a
 * store into the object, and a Push (rseq_cs store, header load and bound check, the slot store,
 * the commit store), in the ABI variants of userspace.md section 6: {@code cpu_id} (a), where the
 * slab region is found through the rseq cpu_id read with {@code %fs:}, 31 instructions per
 * iteration (11 loads, 6 stores, 3 conditional branches), and {@code gs} (c), where every slab
 * access is {@code %gs:}-relative, 23 (7 loads, 6 stores). In steady
 * state every access hits the L1 or is forwarded from the store buffer, as on a real fast path.
 * The same program is pinned cycle by cycle by sim-cpu's {@code TimingGoldenTest}.
 *
 * <ul>
 *   <li>{@code timed}: the core charges a {@link DataflowTimingModel} of the {@code profile} over a
 *       {@link MemorySystem} of one socket of 8 cores (caches, coherence directory and counters
 *       on); the measured core is core 0.
 *   <li>{@code functional}: the same core with {@link TimingModel#NONE}, for reference.
 * </ul>
 *
 * Each invocation is {@code Core.run(BATCH)}: the interpreter loop itself, no per-call set-up.
 * Five warm-up seconds per fork: on a loaded two-core host C2 needs about three to compile the
 * interpreter and the model.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class InterpreterBenchmark {
  /** Instructions per benchmark invocation. */
  static final int BATCH = 100_000;

  /** Size class whose slab the loop pops from and pushes to. */
  private static final int SIZE_CLASS = 3;

  /** ABI variant: {@code cpu_id} (rseq cpu_id through %fs) or {@code gs} (GS mode). */
  @Param({"cpu_id", "gs"})
  public String variant;

  /** CPU profile of the cost model and caches. */
  @Param({"zen5"})
  public String profile;

  private Core timedCore;
  private Core functionalCore;

  @Setup(Level.Trial)
  public void setUp() {
    CpuProfile p = CpuProfiles.load(profile);
    AssembledProgram program = assemble();
    MemorySystem memory = new MemorySystem(p, 1, 8);
    timedCore = machine(p, program, new DataflowTimingModel(p, memory, 0));
    functionalCore = machine(p, program, TimingModel.NONE);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long timed() {
    return runBatch(timedCore);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long functional() {
    return runBatch(functionalCore);
  }

  private static long runBatch(Core core) {
    CoreStatus status = core.run(BATCH);
    if (status != CoreStatus.RETIRED) {
      throw new IllegalStateException("the loop stopped: " + status + " " + core.trap());
    }
    return core.timing().cycle() + core.context().get(Registers.RAX);
  }

  /** A core running the loop of {@link #variant} in a fresh process. */
  private Core machine(CpuProfile p, AssembledProgram program, TimingModel timing) {
    AddressSpace space = new AddressSpace(1);
    Loader.load(program, space);
    ThreadContext ctx = new ThreadContext();
    ctx.setFsBase(program.address("tp"));
    ctx.setGsBase(program.address("region1"));
    ctx.set(Registers.RSI, SIZE_CLASS);
    ctx.setRip(program.address(switch (variant) {
      case "cpu_id" -> "loop_cpu_id";
      case "gs" -> "loop_gs";
      default -> throw new IllegalArgumentException("variant " + variant);
    }));
    Core core = new Core(0, CpuFeatures.of(p.features()), timing);
    core.attach(ctx, space, new DecodedProgram(program));
    return core;
  }

  private static AssembledProgram assemble() {
    String name = "/org/vcpusim/cpu/programs/slab-pop-push.s";
    try (InputStream in = InterpreterBenchmark.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " missing");
      }
      return Assembler.assemble(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
