package org.vcpusim.cpu.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;

/** Malformed input ends in an {@link AsmException}, never another exception; coverage checks. */
class AssemblerRobustnessTest {
  private static final String[] TOKENS = {
    "mov", "movq", "addl", "lock", "jmp", "jne", "call", "lea", "nopl", "ud1", "shl", "imul",
    "movzbl", "push", "ret", "xchg", "cmpxchg", "setne", "cmovel", "rdgsbase", "prefetcht0",
    ".byte", ".quad", ".long", ".balign", ".p2align", ".section", ".pushsection", ".popsection",
    ".set", ".size", ".globl", ".zero", ".ascii", ".bss", ".text", ".data", ".reloc",
    "%rax", "%eax", "%al", "%ah", "%r8", "%r12d", "%fs:", "%gs:", "%rip", "%rsp", "%cl", "%xmm0",
    "$", "$1", "$-1", "$0x80000000", "$sym", "*", "(", ")", ",", ",", ",", ":", ";", "#", "//",
    "/*", "*/", "\"", "\"aw\"", "@nobits", "1:", "1f", "1b", "2f", "sym", "sym:", ".", "+", "-",
    "<<", ">>", "/", "%", "&", "|", "^", "~", "!", "==", "8", "0x10", "4096", "255", "256", "-129",
    "'a", "0b1", "017", "08", "\n", "\n", "\n", " ", " ", "\t",
  };

  @Test
  void randomTokenSoupFailsOnlyWithAsmException() {
    qt().withExamples(3000).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      StringBuilder sb = new StringBuilder();
      int n = 1 + r.nextInt(40);
      for (int i = 0; i < n; i++) {
        sb.append(TOKENS[r.nextInt(TOKENS.length)]);
        if (r.nextInt(3) > 0) {
          sb.append(' ');
        }
      }
      String src = sb.toString();
      try {
        AssembledProgram p = Assembler.assemble(src, "fuzz.s");
        assertTrue(p.sections().size() >= 1);
      } catch (AsmException e) {
        assertEquals("fuzz.s", e.location().file());
        assertTrue(e.location().line() >= 1 && e.location().column() >= 1, e.getMessage());
      } catch (RuntimeException e) {
        throw new AssertionError("crash on input:\n" + src, e);
      }
    });
  }

  @Test
  void theEncodingCorpusUsesEveryOpcode() {
    AssembledProgram p = Assembler.assemble(GoldenFile.resource("encoding-corpus.s"), "c.s");
    Set<Opcode> seen = EnumSet.noneOf(Opcode.class);
    for (Instruction i : p.instructions()) {
      seen.add(i.opcode);
    }
    assertEquals(EnumSet.allOf(Opcode.class), seen);
  }
}
