package org.vcpusim.kernel.signal;

import java.util.List;
import java.util.TreeMap;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreStatus;
import org.vcpusim.cpu.exec.CpuFeatures;
import org.vcpusim.cpu.exec.ThreadContext;
import org.vcpusim.cpu.exec.TimingModel;
import org.vcpusim.cpu.exec.Trap;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.isa.SourceLocation;
import org.vcpusim.cpu.mem.AddressSpace;

/** Real traps from a real {@link Core}: executes one faulting instruction. */
final class TrapFactory {
  private TrapFactory() {}

  /**
   * Executes {@code mov %rax,(%rdi)} at {@code rip} with RDI = the address the space last failed
   * on (so the store faults the same way) and returns the core's trap.
   */
  static Trap pageFault(long rip, AddressSpace space) {
    long target = space.faultAddress();
    Instruction store = new Instruction(rip, 3, 0, Opcode.MOV, null, false, 8,
        List.of(Operand.register64(Registers.RAX),
            Operand.memory(Segment.NONE, Registers.RDI, Registers.NONE, 1, 0, 8)),
        -1, new SourceLocation("trap", 1, 1), "mov %rax,(%rdi)");
    AssembledProgram p = new AssembledProgram("trap", List.of(), new TreeMap<>(),
        List.of(store));
    ThreadContext ctx = new ThreadContext();
    ctx.set(Registers.RDI, target);
    ctx.setRip(rip);
    Core core = new Core(0, CpuFeatures.ALL, TimingModel.NONE);
    core.attach(ctx, space, p);
    CoreStatus s = core.step();
    if (s != CoreStatus.FAULT) {
      throw new AssertionError("expected a fault, got " + s);
    }
    return core.trap().copy();
  }
}
