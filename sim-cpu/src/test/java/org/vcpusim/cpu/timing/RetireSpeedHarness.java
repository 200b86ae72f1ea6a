package org.vcpusim.cpu.timing;

import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RCX;
import static org.vcpusim.cpu.isa.Registers.RDI;
import static org.vcpusim.cpu.isa.Registers.RDX;
import static org.vcpusim.cpu.isa.Registers.RSI;
import static org.vcpusim.cpu.timing.TestProgram.mem;
import static org.vcpusim.cpu.timing.TestProgram.r;

import java.util.Locale;
import org.vcpusim.cpu.cache.MemorySystem;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.profile.CpuProfile;
import org.vcpusim.cpu.profile.CpuProfiles;

/**
 * Local speed check, not a test: retire() calls per second of one {@link DataflowTimingModel}
 * with its {@link MemorySystem} on, fed a loop of 10 precomputed records shaped like a per-CPU
 * pop (loads, a %gs: load with non-zero base, a forwarded store/load pair, ALU work, a taken
 * loop branch, a prefetch). Run with
 * {@code java -cp sim-cpu/target/classes:sim-cpu/target/test-classes:<jackson jars>
 * org.vcpusim.cpu.timing.RetireSpeedHarness [profile] [seconds]}.
 */
public final class RetireSpeedHarness {
  private RetireSpeedHarness() {}

  public static void main(String[] args) {
    String name = args.length > 0 ? args[0] : "zen5";
    double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    CpuProfile profile = CpuProfiles.load(name);
    DataflowTimingModel model =
        new DataflowTimingModel(profile, new MemorySystem(profile, 1, 4), 0);
    ExecutionRecord[] loop = records();
    long n = 0;
    // warm-up (JIT)
    for (int i = 0; i < 50_000_000; i++) {
      model.retire(loop[i % loop.length]);
    }
    final int chunk = 1_000_000;
    long[] chunkNanos = new long[100_000];
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) threads;
    long allocStart = alloc.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    long deadline = start + (long) (seconds * 1e9);
    long now = start;
    int chunks = 0;
    while (now < deadline && chunks < chunkNanos.length) {
      long t0 = System.nanoTime();
      for (int i = 0; i < chunk; i++) {
        model.retire(loop[i % 10]);
      }
      now = System.nanoTime();
      chunkNanos[chunks++] = now - t0;
      n += chunk;
    }
    long allocated = alloc.getCurrentThreadAllocatedBytes() - allocStart;
    double rate = n / ((now - start) / 1e9);
    double cpuRate = n / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
    long[] sorted = java.util.Arrays.copyOf(chunkNanos, chunks);
    java.util.Arrays.sort(sorted);
    double best = chunk / (sorted[0] / 1e9);
    double median = chunk / (sorted[chunks / 2] / 1e9);
    System.out.printf(Locale.ROOT, "%s: %.1f M retire()/s wall, %.1f M per CPU-second; chunks of"
        + " 1M calls: best %.1f M/s, median %.1f M/s (%d calls, %.2f simulated cycles/insn,"
        + " %d mispredictions, %d forwarded loads); %d bytes allocated while measuring%n", name,
        rate / 1e6, cpuRate / 1e6, best / 1e6, median / 1e6, n,
        (double) model.cycle() / model.instructions(), model.mispredictions(),
        model.forwardedLoads(), allocated);
  }

  private static ExecutionRecord[] records() {
    TestProgram p = new TestProgram();
    long slab = 0x10000000L;
    long top = p.instructions().size();
    Instruction ldOffset = p.add(Opcode.MOV, mem(RDI, 0), r(RAX));
    Instruction header = p.add(Opcode.MOVZX, TestProgram.gs(RSI, 0),
        r(RCX));
    Instruction object = p.add(Opcode.MOV, TestProgram.gs(RCX, -8), r(RDX));
    Instruction test = p.add(Opcode.TEST, r(RDX), r(RDX));
    Instruction next = p.add(Opcode.MOV, TestProgram.gs(RCX, -16), r(RBX));
    Instruction dec = p.add(Opcode.LEA, mem(RCX, -1), r(RCX));
    Instruction commit = p.add(Opcode.MOV, r(RCX), TestProgram.gs(RSI, 0));
    Instruction prefetch = p.add(Opcode.PREFETCHT0, mem(RBX, 0));
    Instruction add = p.add(Opcode.ADD, r(RAX), r(RDX));
    Instruction loop = p.jcc(Condition.NE, TestProgram.BASE + 4 * top);
    ExecutionRecord[] recs = new ExecutionRecord[10];
    for (int i = 0; i < recs.length; i++) {
      recs[i] = new ExecutionRecord();
    }
    TestProgram.load(recs[0], ldOffset, 0x600000);
    TestProgram.record(recs[1], header).addAccess(slab, 2, false, Segment.GS, true);
    TestProgram.record(recs[2], object).addAccess(slab + 64, 8, false, Segment.GS, true);
    TestProgram.record(recs[3], test);
    TestProgram.record(recs[4], next).addAccess(slab + 56, 8, false, Segment.GS, true);
    TestProgram.record(recs[5], dec);
    TestProgram.record(recs[6], commit).addAccess(slab, 2, true, Segment.GS, true);
    TestProgram.record(recs[7], prefetch).prefetchAddress = 0x700000;
    TestProgram.record(recs[8], add);
    TestProgram.record(recs[9], loop).branchTaken = true;
    recs[9].nextRip = loop.target;
    return recs;
  }
}
