package org.vcpusim.cpu.asm;

import java.util.Locale;

/**
 * The machine encoding chosen for one instruction (Intel SDM vol. 2, chapter 2, "Instruction
 * Format"): legacy prefixes, REX, opcode, ModRM, SIB, displacement, immediate, or a relative branch
 * offset. Its {@link #length()} is the real x86-64 length, and {@link #emit} writes the real bytes
 * once layout has fixed every address.
 *
 * <p>Prefixes are written in the order gas writes them (binutils {@code tc-i386.c}, the {@code
 * i.prefix[]} slots): segment override, {@code 0x66} operand size, {@code 0xF3} mandatory prefix,
 * {@code 0xF0} lock, then REX; except that a {@code lock} written as a statement of its own
 * ({@code lock; addl ...}) is emitted by gas as a one-byte instruction, so it comes first.
 *
 * <p>A direct {@code jmp} or {@code jcc} to a label of its own section is relaxable: it starts in
 * its short form (rel8) and {@link #growBranch()} switches it to rel32 when the target is out of
 * range, as gas's relaxation does.
 *
 * <p><b>Caveat:</b> mutable while the assembler builds and relaxes it; {@link #emit} records the
 * encoded values so the decoded operands are built from exactly what was encoded.
 */
final class Encoding {
  int segmentPrefix;
  boolean operandSize16;
  int mandatoryPrefix;
  boolean lock;
  /** The lock prefix was its own statement ({@code lock;}): gas wrote it before every other prefix. */
  boolean lockFirst;

  boolean rexW;
  int rexR;
  int rexX;
  int rexB;
  /** A REX prefix is needed even without W/R/X/B bits ({@code %spl %bpl %sil %dil}). */
  boolean rexRequired;

  int[] opcode = new int[0];

  boolean hasModrm;
  int mod;
  int regField;
  int rm;
  boolean hasSib;
  int sib;

  /** 0, 1, 4, or 8 (a {@code movabs} 64-bit absolute address). */
  int dispSize;
  /** The displacement when it is known at parse time (or there is no expression). */
  long dispConst;
  /** The displacement expression when it is only known after layout, else null. */
  Expr dispExpr;
  /** %rip-relative: the encoded value is the target minus the address of the next instruction. */
  boolean dispPcRelative;
  AsmOperand dispOperand;

  int immSize;
  long immConst;
  Expr immExpr;
  long immMin;
  long immMax;
  AsmOperand immOperand;

  // Relative branches: jmp (jccCode -1, call false), jcc (jccCode 0..15) or call.
  int relSize;
  Expr target;
  int jccCode = -1;
  boolean isCall;
  boolean relaxable;

  // Recorded by emit().
  long emittedDisp;
  long emittedImm;
  long emittedTarget = -1;

  /** True when any REX bit or a REX-only byte register makes the prefix necessary. */
  boolean needsRex() {
    return rexW || rexR != 0 || rexX != 0 || rexB != 0 || rexRequired;
  }

  int length() {
    int n = 0;
    if (segmentPrefix != 0) {
      n++;
    }
    if (operandSize16) {
      n++;
    }
    if (mandatoryPrefix != 0) {
      n++;
    }
    if (lock) {
      n++;
    }
    if (needsRex()) {
      n++;
    }
    n += relSize > 0 ? branchOpcodeLength() : opcode.length;
    if (hasModrm) {
      n++;
    }
    if (hasSib) {
      n++;
    }
    return n + dispSize + immSize + relSize;
  }

  private int branchOpcodeLength() {
    return (jccCode >= 0 && relSize == 4) ? 2 : 1;
  }

  /** Switches a relaxable short branch to its rel32 form. */
  void growBranch() {
    relSize = 4;
  }

  boolean isShortBranch() {
    return relSize == 1;
  }

  /**
   * Writes the encoding at {@code out[at..]} for an instruction at {@code address}, evaluating
   * displacement, immediate and branch target with {@code ev} (absolute addresses).
   */
  void emit(byte[] out, int at, long address, Evaluator ev) {
    int len = length();
    long next = address + len;
    int p = at;
    if (lock && lockFirst) {
      out[p++] = (byte) 0xF0;
    }
    if (segmentPrefix != 0) {
      out[p++] = (byte) segmentPrefix;
    }
    if (operandSize16) {
      out[p++] = 0x66;
    }
    if (mandatoryPrefix != 0) {
      out[p++] = (byte) mandatoryPrefix;
    }
    if (lock && !lockFirst) {
      out[p++] = (byte) 0xF0;
    }
    if (needsRex()) {
      out[p++] = (byte) (0x40 | (rexW ? 8 : 0) | (rexR << 2) | (rexX << 1) | rexB);
    }
    if (relSize > 0) {
      if (isCall) {
        out[p++] = (byte) 0xE8;
      } else if (jccCode < 0) {
        out[p++] = (byte) (relSize == 1 ? 0xEB : 0xE9);
      } else if (relSize == 1) {
        out[p++] = (byte) (0x70 + jccCode);
      } else {
        out[p++] = 0x0F;
        out[p++] = (byte) (0x80 + jccCode);
      }
    } else {
      for (int b : opcode) {
        out[p++] = (byte) b;
      }
    }
    if (hasModrm) {
      out[p++] = (byte) ((mod << 6) | ((regField & 7) << 3) | (rm & 7));
    }
    if (hasSib) {
      out[p++] = (byte) sib;
    }
    if (dispSize > 0) {
      long d = displacement(next, ev);
      if (dispSize == 4 && (d < Integer.MIN_VALUE || d > Integer.MAX_VALUE)) {
        throw new AsmException(dispOperand.loc,
            String.format(Locale.ROOT, "displacement %#x does not fit in a signed 32-bit field", d),
            dispPcRelative ? "a %rip-relative target within 2 GiB" : "an address below 2 GiB",
            dispOperand.text);
      }
      emittedDisp = d;
      p = writeLittleEndian(out, p, d, dispSize);
    }
    if (immSize > 0) {
      long v = immExpr == null ? immConst : immExpr.eval(ev).value();
      if (v < immMin || v > immMax) {
        throw new AsmException(immOperand.loc,
            String.format(Locale.ROOT, "immediate %#x out of range for a %d-bit field", v,
                immSize * 8),
            rangeText(immMin, immMax), immOperand.text);
      }
      emittedImm = v;
      p = writeLittleEndian(out, p, v, immSize);
    }
    if (relSize > 0) {
      Value t = target.eval(ev);
      long rel = t.value() - next;
      long lo = relSize == 1 ? Byte.MIN_VALUE : Integer.MIN_VALUE;
      long hi = relSize == 1 ? Byte.MAX_VALUE : Integer.MAX_VALUE;
      if (rel < lo || rel > hi) {
        throw new AsmException(target.loc, "branch target out of range of a 32-bit offset",
            "a target within 2 GiB", target.near());
      }
      emittedTarget = t.value();
      p = writeLittleEndian(out, p, rel, relSize);
    }
    if (p - at != len) {
      throw new IllegalStateException("encoded " + (p - at) + " bytes, expected " + len);
    }
  }

  /** The displacement as encoded (pc-relative ones relative to {@code next}). */
  long displacement(long next, Evaluator ev) {
    if (dispExpr == null) {
      return dispConst;
    }
    long d = dispExpr.eval(ev).value();
    return dispPcRelative ? d - next : d;
  }

  static String rangeText(long min, long max) {
    return String.format(Locale.ROOT, "a value from %d to %d", min, max);
  }

  static int writeLittleEndian(byte[] out, int p, long v, int size) {
    for (int i = 0; i < size; i++) {
      out[p++] = (byte) (v >>> (8 * i));
    }
    return p;
  }
}
