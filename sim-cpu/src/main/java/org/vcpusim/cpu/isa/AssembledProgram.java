package org.vcpusim.cpu.isa;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The output of the assembler: sections laid out at absolute addresses (a statically linked,
 * non-PIE image), the symbol table and the pre-decoded instructions in address order.
 *
 * <p>Immutable. The loader (package {@code org.vcpusim.cpu.mem}) maps the sections into an address
 * space; a core fetches instructions through {@link #instructionAt(long)}, which is how an indirect
 * jump, a {@code ret} or an rseq abort reaches its target.
 */
public final class AssembledProgram {
  private final String fileName;
  private final List<Section> sections;
  private final SortedMap<String, Symbol> symbols;
  private final Instruction[] instructions;
  private final long[] addresses;

  public AssembledProgram(
      String fileName,
      List<Section> sections,
      SortedMap<String, Symbol> symbols,
      List<Instruction> instructions) {
    this.fileName = fileName;
    this.sections = List.copyOf(sections);
    this.symbols = Collections.unmodifiableSortedMap(symbols);
    this.instructions = instructions.toArray(new Instruction[0]);
    this.addresses = new long[this.instructions.length];
    for (int i = 0; i < this.instructions.length; i++) {
      Instruction insn = this.instructions[i];
      if (insn.index != i) {
        throw new IllegalArgumentException("instruction " + insn + " has index " + insn.index);
      }
      if (i > 0 && insn.address <= addresses[i - 1]) {
        throw new IllegalArgumentException("instructions not in address order at " + insn);
      }
      addresses[i] = insn.address;
    }
  }

  public String fileName() {
    return fileName;
  }

  public List<Section> sections() {
    return sections;
  }

  public SortedMap<String, Symbol> symbols() {
    return symbols;
  }

  /** The symbol of that name, if defined. */
  public Optional<Symbol> symbol(String name) {
    return Optional.ofNullable(symbols.get(name));
  }

  /** The value of a symbol that must exist. */
  public long address(String name) {
    Symbol s = symbols.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no symbol " + name + " in " + fileName);
    }
    return s.value();
  }

  /** All instructions in address order; {@code instructions().get(i).index == i}. */
  public List<Instruction> instructions() {
    return Collections.unmodifiableList(Arrays.asList(instructions));
  }

  /** Number of instructions. */
  public int instructionCount() {
    return instructions.length;
  }

  /** Instruction {@code i} in address order. */
  public Instruction instruction(int i) {
    return instructions[i];
  }

  /**
   * The index of the instruction that starts exactly at {@code address}, or -1 (a jump into the
   * middle of an instruction, or into data, which the core turns into a fault).
   */
  public int indexAt(long address) {
    int i = Arrays.binarySearch(addresses, address);
    return i >= 0 ? i : -1;
  }

  /** The instruction that starts exactly at {@code address}, or null. */
  public Instruction instructionAt(long address) {
    int i = indexAt(address);
    return i < 0 ? null : instructions[i];
  }

  /** The section containing {@code address}, or null. */
  public Section sectionAt(long address) {
    for (Section s : sections) {
      if (s.contains(address)) {
        return s;
      }
    }
    return null;
  }
}
