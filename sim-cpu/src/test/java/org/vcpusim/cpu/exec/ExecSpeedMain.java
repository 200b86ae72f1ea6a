package org.vcpusim.cpu.exec;

import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.mem;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.isa.Registers.R8;
import static org.vcpusim.cpu.isa.Registers.R9;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RCX;
import static org.vcpusim.cpu.isa.Registers.RDI;
import static org.vcpusim.cpu.isa.Registers.RDX;
import static org.vcpusim.cpu.isa.Registers.RSI;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Segment;

/**
 * A local measurement, not a test: functional-only ({@link TimingModel#NONE}) instructions per
 * second of a tight 10-instruction loop with two loads and a store. Run with
 *
 * <pre>
 *   java -cp sim-cpu/target/classes:sim-cpu/target/test-classes \
 *       org.vcpusim.cpu.exec.ExecSpeedMain [seconds]
 * </pre>
 *
 * It prints one line per one-second round; read the later rounds (after JIT warm-up), and on a
 * shared host the rate per CPU-second of this thread.
 */
public final class ExecSpeedMain {
  private ExecSpeedMain() {}

  static AssembledProgram loop() {
    return new ProgramBuilder()
        .label("top")
        .op(Opcode.MOV, 8, mem(Segment.NONE, RSI, RDX, 8, 0, 8), r64(RAX)) // load
        .op(Opcode.ADD, 8, r64(RAX), r64(RBX))
        .op(Opcode.MOV, 8, mem(Segment.GS, RSI, RDX, 8, 8, 8), r64(RCX)) // load via %gs
        .op(Opcode.XOR, 8, r64(RCX), r64(RBX))
        .op(Opcode.LEA, 8, mem(RBX, 1, 0), r64(R8))
        .op(Opcode.MOV, 8, r64(R8), mem(RDI, 0, 8)) // store
        .op(Opcode.ADD, 8, imm(1), r64(RDX))
        .op(Opcode.AND, 8, imm(63), r64(RDX))
        .op(Opcode.SUB, 8, imm(1), r64(R9))
        .jcc(Condition.NE, "top")
        .op(Opcode.SYSCALL, 0)
        .build();
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    TestMachine m = new TestMachine().load(loop());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long perRound = 0;
    for (int round = 0; round < rounds; round++) {
      long instructions = 0;
      long start = System.nanoTime();
      long cpuStart = threads.getCurrentThreadCpuTime();
      long deadline = start + 1_000_000_000L;
      while (System.nanoTime() < deadline) {
        m.ctx.setRip(ProgramBuilder.TEXT);
        m.set(RSI, TestMachine.DATA).set(RDI, TestMachine.DATA + 0x2000).set(RDX, 0)
            .set(R9, 1_000_000);
        m.ctx.setGsBase(0);
        long before = m.core.retiredInstructions();
        CoreStatus status = m.core.run(Long.MAX_VALUE);
        if (status != CoreStatus.SYSCALL) {
          throw new IllegalStateException("unexpected " + status + " " + m.core.trap());
        }
        instructions += m.core.retiredInstructions() - before;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
      perRound = instructions;
      // The host is shared: the per-CPU-second figure is the one that does not depend on load.
      System.out.printf(Locale.ROOT,
          "round %2d: %8.1f M instructions/s wall, %8.1f M per CPU-second%n", round,
          instructions / seconds / 1e6, instructions / cpuSeconds / 1e6);
    }
    if (perRound == 0) {
      throw new IllegalStateException("nothing ran");
    }
  }
}
