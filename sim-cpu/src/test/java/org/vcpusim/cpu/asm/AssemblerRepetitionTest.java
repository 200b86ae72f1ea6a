package org.vcpusim.cpu.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;

/**
 * {@code .rept}/{@code .irp}/{@code .endr}: expansions assemble to what the hand-written text
 * assembles to, decoded instructions keep the body line as their source, numeric local labels
 * are fresh in each expansion, and errors point at the original source (the bytes against GNU as
 * are in {@link AssemblerGoldenTest}, sample {@code repeat.s}).
 */
class AssemblerRepetitionTest {

  private static AsmException error(String source) {
    return assertThrows(AsmException.class, () -> Assembler.assemble(source, "bad.s"));
  }

  private static byte[] text(AssembledProgram p) {
    return Programs.section(p, ".text").bytes();
  }

  @Test
  void nestedIrpInReptAssemblesLikeTheHandWrittenText() {
    AssembledProgram repeated = Programs.assemble(
        ".rept 2",
        ".irp r, %eax, %r9d",
        "addl $1, \\r",
        ".endr",
        ".endr",
        "ret");
    AssembledProgram written = Programs.assemble(
        "addl $1, %eax", "addl $1, %r9d", "addl $1, %eax", "addl $1, %r9d", "ret");
    assertArrayEquals(text(written), text(repeated));
    assertEquals(5, repeated.instructionCount());
  }

  @Test
  void countIsEvaluatedWhenTheDirectiveIsRead() {
    AssembledProgram p = Programs.assemble(
        ".set N, 2", ".rept N", "nop", ".endr", ".set N, 5", ".rept 0", "nop", ".endr");
    assertEquals(2, p.instructionCount());
  }

  @Test
  void bodyInstructionsKeepTheBodyLineAndLocalLabelsAreFreshPerExpansion() {
    AssembledProgram p = Programs.assemble(
        "entry:", ".rept 3", "1: decl %eax", "   jnz 1b", "   jmp 1f", ".endr", "1: ret");
    List<Instruction> decs = Programs.onLine(p, 3);
    List<Instruction> jnzs = Programs.onLine(p, 4);
    List<Instruction> jmps = Programs.onLine(p, 5);
    assertEquals(3, decs.size());
    assertEquals(3, jnzs.size());
    for (int k = 0; k < 3; k++) {
      assertEquals(3, decs.get(k).source.line());
      assertEquals(4, decs.get(k).source.column());
      assertEquals(decs.get(k).address, jnzs.get(k).target, "jnz 1b of expansion " + (k + 1));
      long next = k < 2 ? decs.get(k + 1).address : Programs.onLine(p, 7).get(0).address;
      assertEquals(next, jmps.get(k).target, "jmp 1f of expansion " + (k + 1));
    }
    assertTrue(decs.get(0).address < decs.get(1).address);
  }

  @Test
  void irpDefinesOneLabelPerValue() {
    AssembledProgram p = Programs.assemble(
        ".irp s, a, b, c", "lbl_\\s\\()_x: .byte 0x1\\s", ".endr");
    long a = p.symbol("lbl_a_x").orElseThrow().value();
    assertEquals(a + 1, p.symbol("lbl_b_x").orElseThrow().value());
    assertEquals(a + 2, p.symbol("lbl_c_x").orElseThrow().value());
    assertArrayEquals(Programs.bytes(0x1a, 0x1b, 0x1c), Programs.bytes(p, a, 3));
  }

  @Test
  void errorInTheThirdExpansionPointsAtTheBodyLineAndNamesTheExpansion() {
    AsmException e = error(".irp r, %eax, %ebx, %xmm0\n  incl \\r\n.endr\n");
    assertEquals(2, e.location().line());
    assertEquals(8, e.location().column());
    assertTrue(e.problem().contains("(in .irp expansion 3 of 3, \\r = '%xmm0', at bad.s:1:1)"),
        e.getMessage());

    AsmException dup = error("nop\n  .rept 2\nx:  nop\n  .endr\n");
    assertEquals("bad.s:3:1", dup.location().toString());
    assertTrue(dup.problem().contains("(in .rept expansion 2 of 2 at bad.s:2:3)"),
        dup.getMessage());
  }

  /** Each row: source (with | for newlines), line, column, a fragment of the problem. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
    "nop|  .endr;                                   2; 3; '.endr' without a matching '.rept'",
    "`nop|  .rept 2|nop`;                           2; 3; '.rept' without a matching '.endr'",
    "`.rept 2|  .irp r, 1|.byte \\r|.endr`;         1; 1; '.rept' without a matching '.endr'",
    "`nop|  .irp r, 1|.byte \\r`;                   2; 3; '.irp' without a matching '.endr'",
    "`.rept 2|  .rept 2|.endr`;                     1; 1; '.rept' without a matching '.endr'",
    ".rept -1|nop|.endr;                            1; 7; repeat count -1 out of range",
    ".rept 1 << 30|nop|.endr;                       1; 7; out of range",
    ".rept later|nop|.endr|later = 2;               1; 7; expression is not a constant here",
    ".rept 2 x|nop|.endr;                           1; 9; unexpected 'x'",
    ".rept 2|nop|y: .endr;                          3; 1; label before the '.endr'",
    ".irp|nop|.endr;                                1; 5; unexpected end of line",
    "`.irp r, \"a|.endr`;                           1; 9; missing end-quote",
    ".rept 4096|.rept 4096|nop|.endr|.endr;         2; 1; expands to more than",
  })
  void errorsPointAtTheOriginalSource(String source, int line, int column, String problem) {
    AsmException e = error(source.replace('|', '\n') + "\n");
    assertEquals(line, e.location().line(), e.getMessage());
    assertEquals(column, e.location().column(), e.getMessage());
    assertTrue(e.problem().contains(problem), e.getMessage());
  }
}
