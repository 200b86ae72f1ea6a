package org.vcpusim.cpu.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.AssembledProgram;

/**
 * A large source assembles in time linear in its size: every pass is linear and relaxation takes
 * a few passes. A quadratic step would take minutes on this input, so a generous bound suffices.
 */
class AssemblerScaleTest {

  @Test
  void twentyFourThousandLinesAssembleQuickly() {
    StringBuilder src = new StringBuilder();
    int blocks = 3000;
    for (int b = 0; b < blocks; b++) {
      src.append("f").append(b).append(":\n")
          .append("  movq %fs:8(%rdi), %rax\n")
          .append("1: addq $1, (%rax,%rsi,8)\n")
          .append("  cmpq $100, %rax\n")
          .append("  jne 1b\n")
          .append("  jmp f").append((b * 7919) % blocks).append('\n')
          .append("  .pushsection __rseq_cs, \"aw\"\n  .quad 1b, f").append(b).append("\n")
          .append("  .popsection\n");
    }
    long t0 = System.nanoTime();
    AssembledProgram p = Assembler.assemble(src.toString(), "big.s");
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(5 * blocks, p.instructionCount());
    assertEquals(p.address("f0"), Programs.read(p, Programs.section(p, "__rseq_cs").address() + 8,
        8));
    assertTrue(seconds < 20, "assembling 24000 lines took " + seconds + " s");
  }
}
