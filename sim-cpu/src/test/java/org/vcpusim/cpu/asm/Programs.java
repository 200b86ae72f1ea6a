package org.vcpusim.cpu.asm;

import java.util.ArrayList;
import java.util.List;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Section;

/** Test helpers: assembling snippets and reading an assembled image. */
final class Programs {
  private Programs() {}

  static AssembledProgram assemble(String... lines) {
    return Assembler.assemble(String.join("\n", lines) + "\n", "t.s");
  }

  /** Little-endian value of {@code size} bytes at {@code address}. */
  static long read(AssembledProgram p, long address, int size) {
    Section s = p.sectionAt(address);
    if (s == null || address + size > s.end()) {
      throw new AssertionError("no " + size + " bytes at 0x" + Long.toHexString(address));
    }
    long v = 0;
    for (int i = size - 1; i >= 0; i--) {
      v = (v << 8) | (s.bytes()[(int) (address - s.address()) + i] & 0xFF);
    }
    return v;
  }

  /** The bytes at {@code [address, address + n)}. */
  static byte[] bytes(AssembledProgram p, long address, int n) {
    Section s = p.sectionAt(address);
    byte[] out = new byte[n];
    System.arraycopy(s.bytes(), (int) (address - s.address()), out, 0, n);
    return out;
  }

  static byte[] bytes(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** The instructions written on source line {@code line}. */
  static List<Instruction> onLine(AssembledProgram p, int line) {
    List<Instruction> out = new ArrayList<>();
    for (Instruction i : p.instructions()) {
      if (i.source.line() == line) {
        out.add(i);
      }
    }
    return out;
  }

  /** The only instruction whose text starts with {@code prefix}, among those at or after {@code from}. */
  static Instruction first(AssembledProgram p, String prefix, long from) {
    for (Instruction i : p.instructions()) {
      if (i.address >= from && i.text.startsWith(prefix)) {
        return i;
      }
    }
    throw new AssertionError("no instruction '" + prefix + "' after 0x" + Long.toHexString(from));
  }

  static Section section(AssembledProgram p, String name) {
    return p.sections().stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no section " + name));
  }
}
