package org.vcpusim.cpu.profile;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every figure the cost model and the kernel layer charge for one microarchitecture, read from a
 * data file ({@code src/main/resources/profiles/NAME.yaml}) by {@link CpuProfiles}. All latencies
 * and costs are in core clock cycles at {@link #frequencyGhz}; sizes are in KiB or bytes as the
 * component name says.
 *
 * <p>Every leaf figure has an entry in {@link #sources} keyed by its dotted path (for example
 * {@code memory.l1}) or by the path of its group (e.g. {@code caches.l1d}), naming where the
 * number comes from or, where no source gives one, the range
 * that was found and why the value was chosen (userspace.md §7 decisions 2, 3, 8 and 10 ask for
 * exactly that). {@link CpuProfiles} refuses a file with a figure that has no source.
 *
 * <p>Immutable. The nested records group the figures the way the YAML file does.
 *
 * @param name the profile's name, equal to its file name without {@code .yaml}
 * @param description one line naming the part the figures describe
 * @param frequencyGhz core clock used to convert cycles to time
 * @param pipeline widths and buffer sizes of the out-of-order core
 * @param alu result latencies of register operations
 * @param memory load-to-use latencies by the level that serves a load
 * @param branch branch prediction costs and predictor sizes
 * @param system costs of serializing and system instructions
 * @param caches cache geometry
 * @param features CPUID feature bits that gate instructions
 * @param kernel costs the kernel layer charges for work it does not run instruction by instruction
 * @param sources the source of every figure, keyed by dotted path
 */
public record CpuProfile(
    String name,
    String description,
    double frequencyGhz,
    Pipeline pipeline,
    AluLatency alu,
    MemoryLatency memory,
    Branch branch,
    SystemInstructions system,
    CacheGeometry caches,
    Features features,
    KernelCosts kernel,
    Map<String, String> sources) {

  public CpuProfile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(alu, "alu");
    Objects.requireNonNull(memory, "memory");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(caches, "caches");
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(kernel, "kernel");
    SortedMap<String, String> copy = new TreeMap<>(Objects.requireNonNull(sources, "sources"));
    sources = java.util.Collections.unmodifiableSortedMap(copy);
  }

  /**
   * The source recorded for the figure at {@code path} (e.g. {@code "memory.l1"}): its own entry,
   * else the entry of the nearest enclosing group (e.g. {@code "caches.l1d"} covers {@code
   * "caches.l1d.ways"}), or null.
   */
  public String source(String path) {
    String p = path;
    while (true) {
      String s = sources.get(p);
      if (s != null) {
        return s;
      }
      int dot = p.lastIndexOf('.');
      if (dot < 0) {
        return null;
      }
      p = p.substring(0, dot);
    }
  }

  /** Picoseconds per core cycle (the simulator's event ticks are picoseconds). */
  public double picosPerCycle() {
    return 1000.0 / frequencyGhz;
  }

  /** {@code cycles} converted to picoseconds, rounded to the nearest picosecond. */
  public long cyclesToPicos(long cycles) {
    return Math.round(cycles * picosPerCycle());
  }

  /** {@code picos} converted to whole cycles, rounded down. */
  public long picosToCycles(long picos) {
    return (long) Math.floor(picos / picosPerCycle());
  }

  /**
   * Widths and buffers of the out-of-order core.
   *
   * @param issueWidth instructions entering the out-of-order window per cycle (dispatch/rename)
   *     and, in the model, retiring per cycle
   * @param robEntries reorder-buffer size: how far issue may run ahead of retirement
   * @param loadPorts loads that can start per cycle
   * @param aluPorts integer ALU pipes: register operations (the ALU part of a load-op or
   *     read-modify-write included) and branches that can start per cycle
   * @param storePorts stores (address and data) that can start per cycle, and commit per cycle
   * @param storeBufferEntries stores that may be waiting to commit to L1 after retirement
   */
  public record Pipeline(
      int issueWidth,
      int robEntries,
      int loadPorts,
      int aluPorts,
      int storePorts,
      int storeBufferEntries) {}

  /**
   * Result latency in cycles of register operations, from the last input ready to the result
   * ready.
   *
   * @param simple add, sub, and, or, xor, not, neg, inc, dec, cmp, test, movzx/movsx from a
   *     register, mov of an immediate, cltq family
   * @param movRegister register-to-register mov (0 where move elimination renames it away)
   * @param lea any lea
   * @param imul imul and mul
   * @param shiftImmediate shifts and rotates by an immediate
   * @param shiftByCl shifts and rotates by {@code %cl}
   * @param cmov cmovcc
   * @param setcc setcc
   * @param bitTest bt, bts, btr, btc on registers
   * @param divide32 div/idiv with an 8, 16 or 32-bit divisor, dividend to quotient
   * @param divide64 div/idiv with a 64-bit divisor, dividend to quotient
   * @param pause cycles a {@code pause} holds the front end
   */
  public record AluLatency(
      int simple,
      int movRegister,
      int lea,
      int imul,
      int shiftImmediate,
      int shiftByCl,
      int cmov,
      int setcc,
      int bitTest,
      int divide32,
      int divide64,
      int pause) {}

  /**
   * Load-to-use latencies in cycles by the level that served the load.
   *
   * @param l1 L1d hit
   * @param l2 L2 hit
   * @param llc last-level cache hit
   * @param dram memory
   * @param storeForward from the older store's data being ready to the load's result
   * @param segmentBasePenalty extra cycles of address generation when the FS/GS base is non-zero
   * @param crossCoreSameLlc line modified in another core that shares this core's LLC
   * @param crossCoreSameSocket line modified in another core of the socket behind another LLC
   * @param crossCoreOtherSocket line modified in a core of another socket
   */
  public record MemoryLatency(
      int l1,
      int l2,
      int llc,
      int dram,
      int storeForward,
      int segmentBasePenalty,
      int crossCoreSameLlc,
      int crossCoreSameSocket,
      int crossCoreOtherSocket) {}

  /**
   * Branch costs and the sizes of the model's predictor tables.
   *
   * @param takenPerCycle taken branches the front end can follow in one cycle
   * @param takenBubble cycles the front end loses after a correctly predicted taken branch
   * @param mispredictPenalty cycles from the branch resolving to the correct path being fetched
   * @param predictorEntries 2-bit counters of the gshare direction predictor (a power of two)
   * @param btbEntries indirect-target entries (a power of two)
   * @param returnStackEntries return-address stack depth
   * @param callReturnCycles the fewest cycles between two correctly predicted calls or returns
   *     (the rate at which the front end follows call/ret pairs); 0 turns the rule off
   */
  public record Branch(
      int takenPerCycle,
      int takenBubble,
      int mispredictPenalty,
      int predictorEntries,
      int btbEntries,
      int returnStackEntries,
      int callReturnCycles) {}

  /**
   * Costs of serializing and system instructions in cycles. lfence, mfence, locked
   * read-modify-writes, rdtsc, rdtscp and syscall wait for all older work and hold younger work
   * until they complete; the figure is the time from the drain to completion.
   *
   * @param lfence lfence
   * @param mfence mfence (also drains the store buffer)
   * @param lockedRmw a locked read-modify-write (lock-prefixed op, xchg with memory) on an L1 line
   * @param rdtsc rdtsc
   * @param rdtscp rdtscp
   * @param rdpid rdpid result latency (not serializing)
   * @param rdfsbase rdfsbase result latency (not serializing)
   * @param rdgsbase rdgsbase result latency (not serializing)
   * @param wrfsbase wrfsbase cost
   * @param wrgsbase wrgsbase cost
   * @param syscallInstruction the syscall instruction itself (the mode switch in and out), apart
   *     from the kernel's own entry/exit work in {@link KernelCosts#syscallEntryExit}
   * @param segmentBaseWriteSerializes whether wrfsbase/wrgsbase drain the pipeline
   */
  public record SystemInstructions(
      int lfence,
      int mfence,
      int lockedRmw,
      int rdtsc,
      int rdtscp,
      int rdpid,
      int rdfsbase,
      int rdgsbase,
      int wrfsbase,
      int wrgsbase,
      int syscallInstruction,
      boolean segmentBaseWriteSerializes) {}

  /**
   * Cache geometry. Lines are {@link #lineBytes} everywhere.
   *
   * @param lineBytes line size in bytes
   * @param l1d per-core L1 data cache
   * @param l2 per-core L2 (inclusive of L1d in the model)
   * @param llc one last-level cache shared by {@link Llc#sharedByCores} cores of a socket
   */
  public record CacheGeometry(int lineBytes, Level l1d, Level l2, Llc llc) {}

  /**
   * One private cache level.
   *
   * @param sizeKiB capacity in KiB
   * @param ways associativity
   */
  public record Level(int sizeKiB, int ways) {}

  /**
   * The last-level cache.
   *
   * @param sizeKiB capacity in KiB of one LLC
   * @param ways associativity
   * @param sharedByCores cores sharing one LLC (a Zen CCD, or a whole Intel socket)
   */
  public record Llc(int sizeKiB, int ways, int sharedByCores) {}

  /**
   * CPUID feature bits that gate instructions ({@code #UD} when absent).
   *
   * @param fsgsbase rdfsbase, rdgsbase, wrfsbase, wrgsbase usable (CPUID.7.0:EBX[0] with
   *     CR4.FSGSBASE set by Linux 5.9+, kernel.md §5.3)
   * @param rdpid rdpid
   * @param rdtscp rdtscp
   */
  public record Features(boolean fsgsbase, boolean rdpid, boolean rdtscp) {}

  /**
   * Kernel work the kernel layer charges with {@code TimingModel.chargeSerializing}, in cycles.
   *
   * @param syscallEntryExit kernel entry and exit path of a null system call (without the
   *     syscall instruction itself)
   * @param contextSwitch switching from one task to another on a CPU (scheduler and register
   *     state, not counting the FS/GS base write below)
   * @param wrmsrGsBase one WRMSR of MSR_GS_BASE or MSR_KERNEL_GS_BASE
   * @param wrgsbaseKernel the kernel writing the user GS base with FSGSBASE (SWAPGS; WRGSBASE;
   *     SWAPGS)
   * @param ipiSendAndDeliver sending an IPI and the target entering its handler
   * @param interruptEntryExit entering and leaving an interrupt handler (e.g. the timer tick)
   * @param rseqIdFieldWrite the kernel writing the rseq id fields (cpu_id_start, cpu_id, node_id,
   *     mm_cid) to user memory on return to user
   */
  public record KernelCosts(
      int syscallEntryExit,
      int contextSwitch,
      int wrmsrGsBase,
      int wrgsbaseKernel,
      int ipiSendAndDeliver,
      int interruptEntryExit,
      int rseqIdFieldWrite) {}
}
