package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.mem.AddressSpace;
import org.vcpusim.cpu.mem.Loader;

/**
 * A one-core, one-thread machine for tests: a data area and a stack mapped read-write, RSP at the
 * stack top, a program loaded and attached with RIP at its first instruction.
 */
public final class TestMachine {
  public static final long DATA = 0x600000L;
  public static final long DATA_SIZE = 0x10000L;
  public static final long STACK_TOP = 0x7fff0000L;
  public static final long STACK_SIZE = 0x10000L;

  public final AddressSpace space = new AddressSpace(7);
  public final ThreadContext ctx = new ThreadContext();
  public final Core core;
  public AssembledProgram program;

  public TestMachine() {
    this(CpuFeatures.ALL, TimingModel.NONE);
  }

  public TestMachine(CpuFeatures features) {
    this(features, TimingModel.NONE);
  }

  public TestMachine(CpuFeatures features, TimingModel timing) {
    core = new Core(3, features, timing);
    space.map(DATA, DATA_SIZE, AddressSpace.READ | AddressSpace.WRITE);
    space.map(STACK_TOP - STACK_SIZE, STACK_SIZE, AddressSpace.READ | AddressSpace.WRITE);
    ctx.set(Registers.RSP, STACK_TOP);
  }

  public TestMachine load(AssembledProgram p) {
    program = p;
    Loader.load(p, space);
    core.attach(ctx, space, p);
    ctx.setRip(p.instruction(0).address);
    return this;
  }

  public TestMachine load(ProgramBuilder b) {
    return load(b.build());
  }

  /** Loads a program of this one instruction (followed by a nop) and executes it. */
  public CoreStatus execute(Opcode opcode, int size, Operand... operands) {
    load(new ProgramBuilder().op(opcode, size, operands).op(Opcode.NOP, 0));
    return core.step();
  }

  public CoreStatus step() {
    return core.step();
  }

  public CoreStatus run(long max) {
    return core.run(max);
  }

  public long reg(int r) {
    return ctx.get(r);
  }

  public TestMachine set(int r, long value) {
    ctx.set(r, value);
    return this;
  }

  public long flags() {
    return ctx.rflags() & Rflags.STATUS;
  }

  public long read(long address, int size) {
    long v = space.load(address, size);
    assertFalse(space.hasFault(), () -> "read of " + Long.toHexString(address) + " faulted");
    return v;
  }

  public void write(long address, int size, long value) {
    if (!space.store(address, size, value)) {
      throw new AssertionError("write of " + Long.toHexString(address) + " faulted");
    }
  }
}
