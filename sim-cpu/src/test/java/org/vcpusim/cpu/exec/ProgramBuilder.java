package org.vcpusim.cpu.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Section;
import org.vcpusim.cpu.isa.SourceLocation;
import org.vcpusim.cpu.isa.Symbol;

/**
 * Builds an {@link AssembledProgram} directly from {@link Instruction}s, standing in for the
 * assembler in tests: instructions are laid out from a base address with a fixed length each (4
 * bytes unless changed), labels name addresses, branches name labels.
 */
public final class ProgramBuilder {
  public static final long TEXT = 0x401000L;

  private static final class Spec {
    long address;
    int length;
    Opcode opcode;
    Condition condition;
    boolean lock;
    int size;
    Operand[] operands;
    String targetLabel;
    long target = -1;
  }

  private final long base;
  private final List<Spec> specs = new ArrayList<>();
  private final SortedMap<String, Long> labels = new TreeMap<>();
  private final List<Section> extraSections = new ArrayList<>();
  private long pc;
  private int nextLength = 4;

  public ProgramBuilder() {
    this(TEXT);
  }

  public ProgramBuilder(long base) {
    this.base = base;
    this.pc = base;
  }

  /** Address of the next instruction. */
  public long here() {
    return pc;
  }

  public ProgramBuilder label(String name) {
    labels.put(name, pc);
    return this;
  }

  /** Length of the next instruction only. */
  public ProgramBuilder length(int bytes) {
    nextLength = bytes;
    return this;
  }

  /** Leaves {@code bytes} of non-instruction bytes in the text. */
  public ProgramBuilder skip(int bytes) {
    pc += bytes;
    return this;
  }

  public ProgramBuilder op(Opcode opcode, int size, Operand... operands) {
    return add(opcode, null, false, size, operands, null, -1);
  }

  public ProgramBuilder locked(Opcode opcode, int size, Operand... operands) {
    return add(opcode, null, true, size, operands, null, -1);
  }

  /** cmovcc / setcc. */
  public ProgramBuilder cc(Opcode opcode, Condition condition, int size, Operand... operands) {
    return add(opcode, condition, false, size, operands, null, -1);
  }

  public ProgramBuilder jcc(Condition condition, String label) {
    return add(Opcode.JCC, condition, false, 0, new Operand[0], label, -1);
  }

  public ProgramBuilder jmp(String label) {
    return add(Opcode.JMP, null, false, 8, new Operand[0], label, -1);
  }

  public ProgramBuilder jmpTo(long address) {
    return add(Opcode.JMP, null, false, 8, new Operand[0], null, address);
  }

  public ProgramBuilder call(String label) {
    return add(Opcode.CALL, null, false, 8, new Operand[0], label, -1);
  }

  /** An extra section (data, rodata, custom) placed at its own address. */
  public ProgramBuilder section(String name, long address, byte[] bytes, boolean r, boolean w,
      boolean x) {
    extraSections.add(new Section(name, address, bytes, 8, r, w, x));
    return this;
  }

  private ProgramBuilder add(Opcode opcode, Condition condition, boolean lock, int size,
      Operand[] operands, String targetLabel, long target) {
    Spec s = new Spec();
    s.address = pc;
    s.length = nextLength;
    s.opcode = opcode;
    s.condition = condition;
    s.lock = lock;
    s.size = size;
    s.operands = operands;
    s.targetLabel = targetLabel;
    s.target = target;
    specs.add(s);
    pc += nextLength;
    nextLength = 4;
    return this;
  }

  public AssembledProgram build() {
    List<Instruction> insns = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      Spec s = specs.get(i);
      long target = s.target;
      if (s.targetLabel != null) {
        Long t = labels.get(s.targetLabel);
        if (t == null) {
          throw new IllegalArgumentException("no label " + s.targetLabel);
        }
        target = t;
      }
      String text = s.opcode.name().toLowerCase(Locale.ROOT)
          + (s.condition != null ? "." + s.condition.suffix() : "")
          + (s.operands.length > 0 ? " " + Arrays.toString(s.operands) : "")
          + (target >= 0 ? " -> " + Long.toHexString(target) : "");
      insns.add(new Instruction(s.address, s.length, i, s.opcode, s.condition, s.lock, s.size,
          List.of(s.operands), target, new SourceLocation("test.s", i + 1, 1), text));
    }
    byte[] text = new byte[(int) Math.max(1, pc - base)];
    Arrays.fill(text, (byte) 0x90);
    List<Section> sections = new ArrayList<>();
    sections.add(new Section(".text", base, text, 16, true, false, true));
    sections.addAll(extraSections);
    SortedMap<String, Symbol> symbols = new TreeMap<>();
    labels.forEach((name, addr) -> symbols.put(name, new Symbol(name, addr, ".text", false, 0)));
    return new AssembledProgram("test.s", sections, symbols, insns);
  }
}
