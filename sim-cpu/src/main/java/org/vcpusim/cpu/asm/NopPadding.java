package org.vcpusim.cpu.asm;

import java.util.List;
import java.util.Locale;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.isa.SourceLocation;

/**
 * The padding gas writes for an alignment in an executable section, and its decoding into NOP
 * (and JMP) instructions so execution can run through it.
 *
 * <p>Behaviour of GNU as 2.40 for x86-64 with its default tuning, measured with {@code as --64}
 * (binutils {@code gas/config/tc-i386.c}, {@code i386_generate_nops}): the longest pattern is 11
 * bytes ({@code 66 66 2e 0f 1f 84 00 00 00 00 00}); {@code n} bytes of padding are {@code n / 11}
 * copies of it followed by the pattern of length {@code n % 11}. When more than 7 long patterns
 * would be needed ({@code n / 11 > 7}), the padding starts with a jump over the rest: {@code jmp
 * rel8} ({@code eb}) when {@code n - 2 <= 127}, else {@code jmp rel32} ({@code e9}), followed by
 * NOPs for the remaining bytes.
 */
final class NopPadding {
  private NopPadding() {}

  private static final int MAX_NOP = 11;
  private static final int MAX_LONG_NOPS = 7;

  /** {@code PATTERNS[n]} is gas's n-byte NOP (n = 1..11). */
  private static final int[][] PATTERNS = {
    {},
    {0x90},
    {0x66, 0x90},
    {0x0f, 0x1f, 0x00},
    {0x0f, 0x1f, 0x40, 0x00},
    {0x0f, 0x1f, 0x44, 0x00, 0x00},
    {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00},
    {0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00},
    {0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    {0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    {0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
    {0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00},
  };

  /** The AT&amp;T form of each pattern, as objdump prints it. */
  private static final String[] TEXTS = {
    "",
    "nop",
    "xchg %ax, %ax",
    "nopl (%rax)",
    "nopl 0x0(%rax)",
    "nopl 0x0(%rax,%rax,1)",
    "nopw 0x0(%rax,%rax,1)",
    "nopl 0x0(%rax)",
    "nopl 0x0(%rax,%rax,1)",
    "nopw 0x0(%rax,%rax,1)",
    "nopw %cs:0x0(%rax,%rax,1)",
    "data16 nopw %cs:0x0(%rax,%rax,1)",
  };

  private static final Operand BASE_ONLY =
      Operand.memory(Segment.NONE, Registers.RAX, Registers.NONE, 1, 0, 0);
  private static final Operand BASE_INDEX =
      Operand.memory(Segment.NONE, Registers.RAX, Registers.RAX, 1, 0, 0);

  /**
   * Writes {@code count} bytes of code padding at {@code out[at..]} (address {@code address}) and
   * adds the instructions they decode to.
   */
  static void emit(byte[] out, int at, int count, long address, SourceLocation loc,
      List<Decoded> instructions) {
    int p = at;
    long a = address;
    int rest = count;
    if (count / MAX_NOP > MAX_LONG_NOPS) {
      int jumpLength = count - 2 <= Byte.MAX_VALUE ? 2 : 5;
      int disp = count - jumpLength;
      out[p] = (byte) (jumpLength == 2 ? 0xEB : 0xE9);
      Encoding.writeLittleEndian(out, p + 1, disp, jumpLength - 1);
      long target = address + count;
      instructions.add(new Decoded(a, jumpLength, Opcode.JMP, null, false, 8, List.of(), target,
          loc, String.format(Locale.ROOT, "jmp %#x  # alignment padding", target)));
      p += jumpLength;
      a += jumpLength;
      rest -= jumpLength;
    }
    while (rest > 0) {
      int n = Math.min(rest, MAX_NOP);
      for (int b : PATTERNS[n]) {
        out[p++] = (byte) b;
      }
      instructions.add(new Decoded(a, n, Opcode.NOP, null, false, 0, operands(n), -1, loc,
          TEXTS[n] + "  # alignment padding"));
      a += n;
      rest -= n;
    }
  }

  private static List<Operand> operands(int n) {
    switch (n) {
      case 1:
      case 2:
        return List.of();
      case 3:
      case 4:
      case 7:
        return List.of(BASE_ONLY);
      default:
        return List.of(BASE_INDEX);
    }
  }
}
