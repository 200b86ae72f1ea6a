package org.vcpusim.scenarios.workload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeMap;
import org.vcpusim.core.random.RandomStream;
import org.vcpusim.core.random.RandomStreams;
import org.vcpusim.cpu.asm.Assembler;
import org.vcpusim.cpu.asm.Layout;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.kernel.check.PerIdRegions;
import org.vcpusim.kernel.machine.ProcessOptions;
import org.vcpusim.kernel.machine.UserLayout;
import org.vcpusim.scenarios.scenario.Abi;
import org.vcpusim.scenarios.scenario.ThinkTime;
import org.vcpusim.scenarios.scenario.WorkloadKind;
import org.vcpusim.scenarios.scenario.WorkloadSpec;

/**
 * One workload in one ABI variant as a program for {@code Machine.spawnProcess}: the assembly of
 * {@code scenarios/src/main/resources/org/vcpusim/scenarios/workloads/} expanded for the variant
 * ({@link WorkloadSource}), data generated for the spec (per-id regions, central free lists,
 * per-thread blocks, think tables), assembled with {@link UserLayout#programLayout()} (so
 * {@code __rseq_offset} is glibc's) plus two pinned sections: {@code .slabs} (one guard page,
 * then the per-id regions from {@link Options#origin()}) and {@code .heap} (the objects).
 *
 * <h2>How to run it</h2>
 * {@code Process p = machine.spawnProcess(name, image.program(), image.processOptions());} then
 * for each thread {@code i}: {@code machine.spawnThread(p, image.threadEntry(), image.threadArgs(i),
 * mask, name)}. The first thread ({@link #processOptions()}'s entry {@code wl_main}) exits at
 * once; the workers run until {@link Options#opsPerThread()} ops are done or {@link
 * #stopWordAddress()} holds non-zero. In GS mode with {@link Options#gsPrctl()} the workers call
 * {@code prctl(PT_SET_GS_MODE, {MM_VCPU, 0, stride, origin}, 24, 0, 0)} first (a failure ends the
 * worker with status 3); without it the runner must provide the GS base itself.
 *
 * <h2>Per-id region layout (userspace.md §1.3)</h2>
 * Region {@code i} = {@code origin + i * stride}, stride a power of two. Slab kind: {@code
 * sizeClasses} 4-byte headers {@code {u16 current, u16 end}} (slot indexes from the region
 * start, occupied slots {@code [begin, current)}), then the lock slot (a marker: {@link
 * #lockedHeader()}), then per class a begin-marker slot (its own address | 1) and {@code
 * slabCapacity} object slots; the region's last 8 bytes hold a marker too. Other kinds:
 * counter @0, list head @8, lock @16, locked counter @24, self pointer @32.
 *
 * <p>Code ranges: {@code __fast_begin..__fast_end} (the op routines), {@code __slow_*} (slow
 * paths, "try" routines, drains, central lists), {@code __abort_*} (abort handlers), {@code
 * __driver_*}; ops are the calls at {@code op_begin_*}, ending at {@code op_end_*}.
 *
 * <p><b>Caveats:</b> immutable after {@link #build}; the program is shared by every process that
 * runs it (the machine copies sections into each address space).
 */
public final class WorkloadImage {
  /** Think times at or above this are slept ({@code nanosleep}) rather than spun. */
  public static final long SLEEP_THRESHOLD_NS = 20_000;
  /** Default per-id region stride: librseq's {@code RSEQ_MEMPOOL_STRIDE} (64 KiB). */
  public static final long DEFAULT_STRIDE = 1L << 16;
  /** Default GS origin (scenario format default; above any {@code mmap_min_addr}). */
  public static final long DEFAULT_ORIGIN = 0x1000_0000L;
  /**
   * Objects one thread holds at most by default: enough that a 50/50 mix rarely hits the bound
   * (a random walk of a few thousand ops strays about its square root), few enough that the held
   * record stays a few cache lines.
   */
  public static final int DEFAULT_MAX_HELD = 64;
  /** Bytes per object: one cache line, so objects never share lines. */
  public static final int OBJECT_BYTES = 64;
  /** Entries of each think table; the driver indexes it with the low 8 bits of its random word. */
  static final int THINK_TABLE = 256;
  /** Polls of a held central lock before the spinner yields its CPU. */
  static final int SPIN_LIMIT = 64;
  /** Iterations of the SIGUSR1 handler's loop: some user work, as param_test's handler does. */
  static final int SIGNAL_WORK = 100;
  /** Offset of the central list's slots in its block (lock @0, count @8, then padding). */
  static final int CENTRAL_SLOTS = 64;
  /** Guard bytes before region 0 (one page, its last word a marker). */
  static final long GUARD = 4096;
  /** Per-id fields of the counter, list and spinlock kinds. */
  static final int COUNTER_OFF = 0;
  static final int LIST_OFF = 8;
  static final int LOCK_OFF = 16;
  static final int LOCKED_COUNT_OFF = 24;
  static final int SELF_OFF = 32;
  /** The own rseq area of the cached variant, from the thread pointer (32-byte aligned). */
  static final int ABI_TP = -64;
  /** The cached-slab TLS word: 4 bytes below the area, its top half = cpu_id_start. */
  static final int SLABS_TP = ABI_TP - 4;
  /** Bit 63 of the cached-slab word (TCMalloc's TCMALLOC_CACHED_SLABS_BIT). */
  public static final long CACHED_BIT = 1L << 63;
  /** {@code prctl} option and index mode of the GS-mode ABI (docs: ctx2 decisions). */
  static final long PT_SET_GS_MODE = 0x47530001L;
  static final int GS_INDEX_MODE_MM_VCPU = 1;

  /**
   * Build options.
   *
   * @param threads worker threads
   * @param seed run seed: each thread's xorshift seed is {@code RandomStreams.streamSeed(seed,
   *     "workload.thread.<i>")}, the think tables come from stream {@code workload.think}
   * @param nrIds per-id regions (the machine's possible CPUs: both ids stay below it)
   * @param stride region stride, a power of two
   * @param origin address of region 0 (the GS-mode origin), page aligned, above 4096; or 0, the
   *     hazard of the 2022 proposal's {@code stride * id} without an origin (kernel.md §5.5,
   *     §8.8): region 0 would sit on the NULL page no process may map, so the image leaves it
   *     unmapped ({@link #firstMappedRegion}) and a thread with id 0 faults on its first access
   *     (slab workloads only)
   * @param opsPerThread ops each thread does, 0 = until the stop word is set
   * @param gsPrctl whether GS-mode workers call prctl(PT_SET_GS_MODE) at start, as libc would
   *     (default); without it the runner must provide the GS base itself
   * @param frequencyHz core clock, to turn think times into spin iterations
   * @param maxHeld objects (slab) or nodes (list) one thread may hold at once: the size of its
   *     held record; an alloc with a full record frees instead
   */
  public record Options(int threads, long seed, int nrIds, long stride, long origin,
      long opsPerThread, boolean gsPrctl, long frequencyHz, int maxHeld) {
    public Options {
      if (threads < 1 || nrIds < 1 || opsPerThread < 0 || frequencyHz <= 0 || maxHeld < 1) {
        throw new IllegalArgumentException("bad workload options");
      }
      if (Long.bitCount(stride) != 1 || stride < 4096) {
        throw new IllegalArgumentException("stride must be a power of two >= 4096: " + stride);
      }
      if (origin % 4096 != 0 || (origin != 0 && origin <= GUARD)) {
        throw new IllegalArgumentException("origin must be 0 or page aligned and above one page");
      }
    }

    /**
     * {@code threads} workers, ids = {@code nrIds}, default stride and origin, GS-mode workers
     * call the prctl, {@link #DEFAULT_MAX_HELD} objects held at most.
     */
    public static Options of(int threads, long seed, int nrIds, long opsPerThread,
        long frequencyHz) {
      return new Options(threads, seed, nrIds, DEFAULT_STRIDE, DEFAULT_ORIGIN, opsPerThread, true,
          frequencyHz, DEFAULT_MAX_HELD);
    }

    public Options withGsPrctl(boolean on) {
      return new Options(threads, seed, nrIds, stride, origin, opsPerThread, on, frequencyHz,
          maxHeld);
    }

    public Options withStrideAndOrigin(long newStride, long newOrigin) {
      return new Options(threads, seed, nrIds, newStride, newOrigin, opsPerThread, gsPrctl,
          frequencyHz, maxHeld);
    }

    public Options withMaxHeld(int n) {
      return new Options(threads, seed, nrIds, stride, origin, opsPerThread, gsPrctl, frequencyHz,
          n);
    }
  }

  private final WorkloadSpec spec;
  private final Abi abi;
  private final Options options;
  private final AssembledProgram program;
  private final String source;
  private final ThreadBlock block;
  private final int[] classBegin;
  private final int lockSlot;
  private final long heapBase;
  private final long[] opBegin;
  private final long[] opEnd;
  private final long[] commits;
  private final long[] rangeStart;
  private final CodeClass[] rangeClass;

  private WorkloadImage(WorkloadSpec spec, Abi abi, Options options) {
    this.spec = spec;
    this.abi = abi;
    this.options = options;
    this.block = new ThreadBlock(spec.sizeClasses(), spec.batch(), options.maxHeld());
    this.classBegin = new int[spec.sizeClasses()];
    this.lockSlot = (spec.sizeClasses() * 4 + 7) / 8; // first slot after the headers
    int slot = lockSlot + 1; // the marker of class 0
    for (int c = 0; c < spec.sizeClasses(); c++) {
      classBegin[c] = slot + 1;
      slot += 1 + spec.slabCapacity();
    }
    if (options.origin() == 0 && spec.kind() != WorkloadKind.SLAB) {
      throw new IllegalArgumentException("origin 0 (the no-origin hazard) is modelled for slab"
          + " workloads only, not " + spec.kind().spelling());
    }
    if (spec.kind() == WorkloadKind.SLAB && (slot + 1 > options.stride() / 8 || slot >= 65536)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%d size classes x %d slots do not fit a %d-byte region", spec.sizeClasses(),
          spec.slabCapacity(), options.stride()));
    }
    this.heapBase = options.origin() + options.stride() * options.nrIds();
    this.source = generate();
    Layout layout = UserLayout.programLayout()
        .withSectionAddress(".slabs", regionBase(firstMappedRegion()) - GUARD)
        .withSectionAddress(".heap", heapBase);
    this.program = Assembler.assemble(source, "workload-" + abi.spelling() + ".s", layout);
    List<Long> b = new ArrayList<>();
    List<Long> e = new ArrayList<>();
    List<Long> c = new ArrayList<>();
    for (String name : program.symbols().keySet()) {
      if (name.startsWith("op_begin_")) {
        b.add(program.address(name));
        e.add(program.address("op_end_" + name.substring("op_begin_".length())));
      } else if (name.endsWith("_commit")) {
        c.add(program.address(name));
      }
    }
    this.opBegin = b.stream().mapToLong(Long::longValue).toArray();
    this.opEnd = e.stream().mapToLong(Long::longValue).toArray();
    this.commits = c.stream().mapToLong(Long::longValue).sorted().toArray();
    this.rangeStart = new long[] {program.address("__fast_begin"),
        program.address("__slow_begin"), program.address("__abort_begin"),
        program.address("__driver_begin"), program.address("__driver_end")};
    this.rangeClass = new CodeClass[] {CodeClass.FAST_PATH, CodeClass.SLOW_PATH,
        CodeClass.ABORT_HANDLER, CodeClass.DRIVER};
  }

  /**
   * Builds {@code spec} in variant {@code abi}.
   *
   * @throws IllegalArgumentException when the slab does not fit the stride
   */
  public static WorkloadImage build(WorkloadSpec spec, Abi abi, Options options) {
    return new WorkloadImage(Objects.requireNonNull(spec), Objects.requireNonNull(abi),
        Objects.requireNonNull(options));
  }

  public WorkloadSpec spec() {
    return spec;
  }

  public Abi abi() {
    return abi;
  }

  public Options options() {
    return options;
  }

  /** The assembled program. */
  public AssembledProgram program() {
    return program;
  }

  /** The generated assembly source (for dumps and debugging). */
  public String source() {
    return source;
  }

  /** Options for {@code spawnProcess}: entry {@code wl_main}; libc rseq off for the cached variant. */
  public ProcessOptions processOptions() {
    return ProcessOptions.defaults().withEntry("wl_main").withLibcRseq(!AbiTraits.ownRseq(abi));
  }

  /** The symbol worker threads start at. */
  public String threadEntry() {
    return "worker";
  }

  /** The arguments of worker {@code i}: its block address. */
  public long[] threadArgs(int i) {
    return new long[] {threadBlock(i)};
  }

  /** Address of worker {@code i}'s block ({@link ThreadBlock}). */
  public long threadBlock(int i) {
    Objects.checkIndex(i, options.threads());
    return program.address("thread_blocks") + (long) i * block.bytes();
  }

  /** The block layout. */
  public ThreadBlock blockLayout() {
    return block;
  }

  /** Address of the stop word: a non-zero value ends every worker after its current op. */
  public long stopWordAddress() {
    return program.address("stop_word");
  }

  /** Address of the count of SIGUSR1 handlers run (u64). */
  public long signalsHandledAddress() {
    return program.address("signals_handled");
  }

  /** The per-id regions. */
  public PerIdRegion regions() {
    return new PerIdRegion(options.origin(), options.stride(), options.nrIds(),
        AbiTraits.index(abi));
  }

  /**
   * The per-id regions as the kernel checker's declaration ({@code
   * machine.checkers().declareRegions(pid, ...)}), named {@code name} in its findings; the header
   * lock drain of the rseq-cpu, rseq-mm_cid and gs-mm_cid variants is declared remote-stop code
   * ({@link PerIdRegions#stopCodeStart}: it validates itself), the cached variant's drain is not
   * (its safety rests on the fence alone, which the checker must see fail under on-change id
   * updates).
   */
  public PerIdRegions checkerRegions(String name) {
    return new PerIdRegions(name, options.origin(), options.stride(), options.nrIds(),
        AbiTraits.index(abi), program.address("__stop_begin"), program.address("__stop_end"));
  }

  /** GS-mode arguments {stride, origin} the gs-mm_cid variant uses. */
  public long[] gsModeArgs() {
    return new long[] {options.stride(), options.origin()};
  }

  /**
   * The header value of a class locked by the drain of slab-drain-locked.s: {@code {current =
   * lock slot + 1, end = 0}}, the lock slot (right after the headers) holding a begin marker, so
   * that Pop sees "empty" without leaving the region and Push sees "full"; no class commits that
   * current.
   */
  public long lockedHeader() {
    return lockSlot + 1;
  }

  /** The slot index of the first object slot of each size class. */
  public int classBegin(int sizeClass) {
    return classBegin[sizeClass];
  }

  /** Address of object {@code i} (slab objects, list nodes). */
  public long objectAddress(int i) {
    return heapBase + (long) i * OBJECT_BYTES;
  }

  /** Index of the object at {@code address}, or -1 when it is not an object's start. */
  public int objectIndex(long address) {
    long off = address - heapBase;
    if (off < 0 || off % OBJECT_BYTES != 0 || off / OBJECT_BYTES >= spec.objects()) {
      return -1;
    }
    return (int) (off / OBJECT_BYTES);
  }

  /** The size class an object belongs to (objects are dealt to classes round-robin). */
  public int objectClass(int index) {
    return index % spec.sizeClasses();
  }

  /** Address of size class {@code c}'s central list block (lock, count, slots @64). */
  public long centralAddress(int c) {
    return program.address("central") + (long) c * centralStride();
  }

  long centralStride() {
    int perClass = (spec.objects() + spec.sizeClasses() - 1) / spec.sizeClasses();
    return (CENTRAL_SLOTS + 8L * perClass + 63) & ~63L;
  }

  /** Addresses of the op-begin instructions (the calls), parallel to {@link #opEndAddresses}. */
  public long[] opBeginAddresses() {
    return opBegin.clone();
  }

  /** Addresses where ops end (the instruction after each call). */
  public long[] opEndAddresses() {
    return opEnd.clone();
  }

  /** Addresses of every committing store, sorted. */
  public long[] commitAddresses() {
    return commits.clone();
  }

  /** What the instruction at {@code rip} is. */
  public CodeClass classify(long rip) {
    if (rip < rangeStart[0] || rip >= rangeStart[rangeStart.length - 1]) {
      return CodeClass.NONE;
    }
    for (int i = rangeClass.length - 1; i >= 0; i--) {
      if (rip >= rangeStart[i]) {
        return rangeClass[i];
      }
    }
    return CodeClass.NONE;
  }

  /** Data symbols the checks read, by name, with addresses. */
  public java.util.SortedMap<String, Long> dataSymbols() {
    TreeMap<String, Long> m = new TreeMap<>();
    for (String s : List.of("stop_word", "signals_handled", "central", "thread_blocks", "stopped",
        "drain_lock", "slabs", "lib_gs_buffer")) {
      m.put(s, program.address(s));
    }
    return Collections.unmodifiableSortedMap(m);
  }

  /** The code the driver's dispatch compares against ({@code .set KIND}; driver.s). */
  static int kindCode(WorkloadKind kind) {
    return switch (kind) {
      case SLAB -> 1;
      case COUNTER -> 2;
      case LIST -> 3;
      case SPINLOCK -> 4;
    };
  }

  // ---------------------------------------------------------------- generation

  private String generate() {
    StringBuilder s = new StringBuilder();
    constants(s);
    data(s);
    WorkloadSource src = new WorkloadSource(abi);
    String fast = WorkloadSource.resource("slab-fast.s");
    s.append("        .text\n__fast_begin:\n");
    s.append(src.expand(fast.replace("%POP_EMPTY%", "slab_pop_slow")
        .replace("%POP_UNCACHED%", "slab_pop_uncached")
        .replace("%PUSH_FULL%", "slab_push_slow")
        .replace("%PUSH_UNCACHED%", "slab_push_uncached")
        .replace("%POP%", "slab_pop").replace("%PUSH%", "slab_push")));
    s.append(src.expand(WorkloadSource.resource("percpu-ops.s")));
    s.append("__fast_end:\n__slow_begin:\n");
    s.append(src.expand(fast.replace("%POP_EMPTY%", "slab_try_fail")
        .replace("%POP_UNCACHED%", "slab_try_fail")
        .replace("%PUSH_FULL%", "slab_try_fail")
        .replace("%PUSH_UNCACHED%", "slab_try_fail")
        .replace("%POP%", "slab_pop_try").replace("%PUSH%", "slab_push_try")));
    s.append("slab_try_fail:\n        xorl %eax, %eax\n        ret\n");
    s.append(src.expand(WorkloadSource.resource("slab-slow.s")));
    if (abi == Abi.RSEQ_CPU_CACHED) {
      s.append(src.expand(WorkloadSource.resource("slab-cached.s")));
      s.append("__stop_begin:\n__stop_end:\n");
    } else {
      s.append("__stop_begin:\n");
      s.append(src.expand(WorkloadSource.resource("slab-drain-locked.s")));
      s.append("__stop_end:\n");
    }
    s.append("__slow_end:\n__abort_begin:\n");
    s.append(src.aborts());
    s.append("__abort_end:\n__driver_begin:\n");
    s.append(src.expand(WorkloadSource.resource("driver.s")));
    s.append("__driver_end:\n        ud2\n");
    return s.toString();
  }

  private static void set(StringBuilder s, String name, long value) {
    s.append("        .set ").append(name).append(", ").append(value).append('\n');
  }

  private void constants(StringBuilder s) {
    s.append("# generated by WorkloadImage: ").append(spec.kind().spelling())
        .append(" workload, ABI ").append(abi.spelling()).append('\n');
    set(s, "RSEQ_CPU_ID_START", 0);
    set(s, "RSEQ_CPU_ID", 4);
    set(s, "RSEQ_CS", 8);
    set(s, "RSEQ_MM_CID", 24);
    set(s, "ABI_TP", ABI_TP);
    set(s, "ABI_CPU_ID_TP", ABI_TP + 4);
    set(s, "ABI_CS_TP", ABI_TP + 8);
    set(s, "SLABS_TP", SLABS_TP);
    set(s, "SHIFT", Long.numberOfTrailingZeros(options.stride()));
    set(s, "NCLASSES", spec.sizeClasses());
    set(s, "BATCH", spec.batch());
    set(s, "LOCKED", lockedHeader());
    set(s, "MAXHELD", options.maxHeld());
    set(s, "KIND", kindCode(spec.kind()));
    set(s, "CENTRAL_STRIDE", centralStride());
    set(s, "CENTRAL_SLOTS", CENTRAL_SLOTS);
    set(s, "SPIN_LIMIT", SPIN_LIMIT);
    set(s, "SIGNAL_WORK", SIGNAL_WORK);
    set(s, "FENCE_FLAGS", AbiTraits.targetedFence(abi) ? 1 : 0);
    set(s, "OWN_RSEQ", AbiTraits.ownRseq(abi) ? 1 : 0);
    set(s, "GS_PRCTL", abi == Abi.GS_MM_CID && options.gsPrctl() ? 1 : 0);
    long total = (long) spec.mix().pop() + spec.mix().push();
    set(s, "OP_A_THRESHOLD", ((long) spec.mix().pop() << 32) / total);
    set(s, "THINK_MASK", THINK_TABLE - 1);
    set(s, "COUNTER_OFF", COUNTER_OFF);
    set(s, "LIST_OFF", LIST_OFF);
    set(s, "LOCK_OFF", LOCK_OFF);
    set(s, "LOCKED_COUNT_OFF", LOCKED_COUNT_OFF);
    set(s, "SELF_OFF", SELF_OFF);
    set(s, "TB_OPS", ThreadBlock.OPS);
    set(s, "TB_TARGET", ThreadBlock.TARGET);
    set(s, "TB_RNG", ThreadBlock.RNG);
    set(s, "TB_MAIL", ThreadBlock.MAIL);
    set(s, "TB_MAILARG", ThreadBlock.MAIL_ARG);
    set(s, "TB_HELD_N", ThreadBlock.HELD_N);
    set(s, "TB_FAIL", ThreadBlock.FAIL);
    set(s, "TB_STATUS", ThreadBlock.STATUS);
    set(s, "TB_SETUP", ThreadBlock.SETUP);
    set(s, "TB_DRAINS", ThreadBlock.DRAINS);
    set(s, "TB_DRAINED", ThreadBlock.DRAINED);
    set(s, "TB_DRAINS_SKIPPED", ThreadBlock.DRAINS_SKIPPED);
    set(s, "TB_CLOBBERS", ThreadBlock.CLOBBERS);
    set(s, "TB_CLOBBERS_FAILED", ThreadBlock.CLOBBERS_FAILED);
    set(s, "TB_SLEEPS", ThreadBlock.SLEEPS);
    set(s, "TB_YIELDS", ThreadBlock.YIELDS);
    set(s, "TB_TS", ThreadBlock.TS);
    set(s, "TB_SAVED", ThreadBlock.SAVED);
    set(s, "TB_XFER", block.xfer());
    set(s, "TB_HELD", block.held());
  }

  private void data(StringBuilder s) {
    int nc = spec.sizeClasses();
    s.append("        .data\n        .balign 64\n");
    s.append("slabs:  .quad ").append(options.origin()).append('\n');
    s.append("stop_word: .quad 0\nsignals_handled: .quad 0\n");
    s.append("sig_act: .quad sig_handler, 0x04000000, sig_restorer, 0\n");
    s.append("gs_mode_args: .long ").append(GS_INDEX_MODE_MM_VCPU).append(", 0\n        .quad ")
        .append(options.stride()).append(", ").append(options.origin()).append('\n');
    s.append("        .balign 8\nclass_begin:\n");
    for (int c = 0; c < nc; c++) {
      s.append("        .short ").append(classBegin[c]).append('\n');
    }
    s.append("        .balign 8\nclass_empty_header:\n");
    for (int c = 0; c < nc; c++) {
      s.append("        .short ").append(classBegin[c]).append(", ")
          .append(classBegin[c] + spec.slabCapacity()).append('\n');
    }
    s.append("        .balign 8\nstopped: .zero ").append((options.nrIds() + 7) & ~7).append('\n');
    s.append("drain_lock: .zero ").append(8L * options.nrIds()).append('\n');
    thinkTables(s);
    // central free lists: objects dealt to classes round-robin (slab kind only)
    s.append("        .balign 64\ncentral:\n");
    long stride = centralStride();
    for (int c = 0; c < nc; c++) {
      List<Long> objs = new ArrayList<>();
      if (spec.kind() == WorkloadKind.SLAB) {
        for (int i = c; i < spec.objects(); i += nc) {
          objs.add(objectAddress(i));
        }
      }
      s.append("        .quad 0, ").append(objs.size()).append('\n');
      s.append("        .zero ").append(CENTRAL_SLOTS - 16).append('\n');
      for (long o : objs) {
        s.append("        .quad ").append(o).append('\n');
      }
      long rest = stride - CENTRAL_SLOTS - 8L * objs.size();
      if (rest > 0) {
        s.append("        .zero ").append(rest).append('\n');
      }
    }
    s.append("        .balign 64\nthread_blocks:\n");
    for (int i = 0; i < options.threads(); i++) {
      long seed = RandomStreams.streamSeed(options.seed(), "workload.thread." + i);
      if (seed == 0) {
        seed = 1; // xorshift's only fixed point
      }
      s.append("        .quad 0, ").append(options.opsPerThread()).append(", ").append(seed)
          .append('\n');
      s.append("        .zero ").append(block.bytes() - 24).append('\n');
    }
    s.append("        .balign 4096\nlib_gs_buffer: .zero 4096\n");
    regions(s);
    heap(s);
  }

  private void thinkTables(StringBuilder s) {
    RandomStream r = new RandomStreams(options.seed()).stream("workload.think");
    long[] spin = new long[THINK_TABLE];
    long[] sleep = new long[THINK_TABLE];
    ThinkTime t = spec.think();
    for (int i = 0; i < THINK_TABLE; i++) {
      double ns = switch (t.distribution()) {
        case FIXED -> t.meanNs();
        case EXPONENTIAL -> t.meanNs() == 0 ? 0 : r.exponential(t.meanNs());
        case UNIFORM -> t.meanNs() == 0 ? 0 : r.uniform(0.0, 2.0 * t.meanNs());
      };
      long rounded = Math.round(ns);
      if (rounded >= SLEEP_THRESHOLD_NS) {
        sleep[i] = rounded;
      } else {
        // the spin loop (dec; jnz) retires one iteration per cycle on the dataflow model
        spin[i] = Math.round(ns * options.frequencyHz() / 1e9);
      }
    }
    s.append("        .balign 8\nthink_spin:\n");
    table(s, spin);
    s.append("think_sleep:\n");
    table(s, sleep);
  }

  private static void table(StringBuilder s, long[] v) {
    for (int i = 0; i < v.length; i += 8) {
      s.append("        .quad ");
      for (int j = i; j < i + 8; j++) {
        s.append(v[j]).append(j + 1 < i + 8 ? ", " : "\n");
      }
    }
  }

  private void regions(StringBuilder s) {
    long stride = options.stride();
    long base = options.origin();
    int first = firstMappedRegion();
    s.append("        .section .slabs, \"aw\"\n");
    s.append("        .zero ").append(GUARD - 8).append('\n');
    s.append("        .quad ").append((regionBase(first) - 8) | 1).append('\n');
    for (int r = first; r < options.nrIds(); r++) {
      long region = base + r * stride;
      long written = 0;
      if (spec.kind() == WorkloadKind.SLAB) {
        for (int c = 0; c < spec.sizeClasses(); c++) {
          s.append("        .short ").append(classBegin[c]).append(", ")
              .append(classBegin[c] + spec.slabCapacity()).append('\n');
          written += 4;
        }
        long lockMarker = 8L * lockSlot;
        if (lockMarker > written) {
          s.append("        .zero ").append(lockMarker - written).append('\n');
        }
        s.append("        .quad ").append((region + lockMarker) | 1).append('\n');
        written = lockMarker + 8;
        for (int c = 0; c < spec.sizeClasses(); c++) {
          long marker = 8L * (classBegin[c] - 1);
          if (marker > written) {
            s.append("        .zero ").append(marker - written).append('\n');
          }
          s.append("        .quad ").append((region + marker) | 1).append('\n');
          written = marker + 8;
        }
      } else {
        long head = 0;
        if (spec.kind() == WorkloadKind.LIST && r < spec.objects()) {
          head = objectAddress(lastNodeOf(r));
        }
        s.append("        .quad 0, ").append(head).append(", 0, 0, ").append(region).append('\n');
        written = 40;
      }
      s.append("        .zero ").append(stride - 8 - written).append('\n');
      s.append("        .quad ").append((region + stride - 8) | 1).append('\n');
    }
  }

  /**
   * The first region the image maps: 0, or 1 when the origin is 0 and region 0 would be the NULL
   * page (the no-origin hazard, {@link Options#origin}).
   */
  public int firstMappedRegion() {
    return options.origin() == 0 ? 1 : 0;
  }

  private long regionBase(int id) {
    return options.origin() + id * options.stride();
  }

  /** List kind: node i sits on list i % nrIds; each list links its nodes from the highest down. */
  private int lastNodeOf(int region) {
    int n = options.nrIds();
    int last = region;
    while (last + n < spec.objects()) {
      last += n;
    }
    return last;
  }

  private void heap(StringBuilder s) {
    s.append("        .section .heap, \"aw\"\n");
    if (spec.objects() == 0) {
      s.append("        .zero ").append(OBJECT_BYTES).append('\n');
      return;
    }
    if (spec.kind() != WorkloadKind.LIST) {
      s.append("        .zero ").append((long) spec.objects() * OBJECT_BYTES).append('\n');
      return;
    }
    int n = options.nrIds();
    for (int i = 0; i < spec.objects(); i++) {
      long next = i >= n ? objectAddress(i - n) : 0;
      s.append("        .quad ").append(next).append(", ").append(i + 1).append('\n');
      s.append("        .zero ").append(OBJECT_BYTES - 16).append('\n');
    }
  }
}
