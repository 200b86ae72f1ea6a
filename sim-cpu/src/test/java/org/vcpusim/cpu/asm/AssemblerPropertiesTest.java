package org.vcpusim.cpu.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.vcpusim.cpu.asm.Programs.assemble;
import static org.vcpusim.cpu.asm.Programs.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;

/**
 * Encoding choices as properties over random values, each rule one gas follows (and the golden
 * corpus pins at its edges): rel8 exactly when a branch reaches, imm8 exactly when the value fits
 * a signed byte, disp8 likewise, movabs exactly when a value does not fit a sign-extended imm32;
 * and expression arithmetic against Java's.
 */
class AssemblerPropertiesTest {

  private static boolean fitsByte(long v) {
    return v >= -128 && v <= 127;
  }

  @Test
  void forwardBranchIsShortExactlyWhenTheTargetIsWithinRel8() {
    qt().forAll(integers().between(0, 400)).checkAssert(k -> {
      AssembledProgram p = assemble("jmp 1f", "jne 1f", ".skip " + k, "1: ret");
      int jmp = p.instruction(0).length;
      int jne = p.instruction(1).length;
      // jne ends the gap: its own displacement is k; jmp also jumps over jne.
      assertEquals(k <= 127 ? 2 : 6, jne);
      assertEquals(k + jne <= 127 ? 2 : 5, jmp);
      assertEquals(p.instruction(2).address, p.instruction(0).target);
    });
  }

  @Test
  void backwardBranchIsShortExactlyWhenTheTargetIsWithinRel8() {
    qt().forAll(integers().between(0, 400)).checkAssert(k -> {
      AssembledProgram p = assemble("1: .skip " + k, "jmp 1b");
      Instruction j = p.instruction(0);
      assertEquals(-(k + 2) >= -128 ? 2 : 5, j.length);
      long rel = read(p, j.address + 1, j.length - 1);
      long signed = j.length == 2 ? (byte) rel : (int) rel;
      assertEquals(j.target - j.nextAddress(), signed);
    });
  }

  @Test
  void relaxationLeavesNoBranchLongerThanItNeedsToBe() {
    qt().withExamples(60).forAll(longs().all()).checkAssert(seed -> {
      Random r = new Random(seed);
      int labels = 12;
      List<String> src = new ArrayList<>();
      List<Integer> order = new ArrayList<>();
      for (int l = 0; l < labels; l++) {
        order.add(l);
      }
      java.util.Collections.shuffle(order, r);
      for (int l : order) {
        src.add("L" + l + ":");
        for (int n = r.nextInt(4); n > 0; n--) {
          int choice = r.nextInt(3);
          if (choice == 0) {
            src.add(".skip " + r.nextInt(70));
          } else {
            src.add((choice == 1 ? "jmp" : "jle") + " L" + r.nextInt(labels));
          }
        }
      }
      AssembledProgram p = assemble(src.toArray(new String[0]));
      for (Instruction j : p.instructions()) {
        long rel = j.target - j.nextAddress();
        if (j.length == 2) {
          assertTrue(fitsByte(rel), j.text);
        } else {
          // Long: as a short branch the target would still be out of reach.
          long shortRel = rel >= 0 ? rel : j.target - (j.address + 2);
          assertTrue(!fitsByte(shortRel), () -> j + " could be short");
        }
      }
    });
  }

  @Test
  void aluImmediateUsesImm8ExactlyWhenTheValueFitsASignedByte() {
    qt().forAll(integers().all()).checkAssert(v -> {
      AssembledProgram p = assemble("addq $" + v + ", %rbx", "addl $" + v + ", %eax",
          "cmpl $" + v + ", (%rcx)");
      assertEquals(fitsByte(v) ? 4 : 7, p.instruction(0).length);
      assertEquals(fitsByte(v) ? 3 : 5, p.instruction(1).length);
      assertEquals(fitsByte(v) ? 3 : 6, p.instruction(2).length);
      assertEquals((long) v, p.instruction(0).operand(0).imm);
      assertEquals((long) v, p.instruction(2).operand(0).imm);
    });
  }

  @Test
  void wordImmediatesAreSignExtendedFrom16BitsBeforeTheImm8Choice() {
    qt().forAll(integers().between(-32768, 65535)).checkAssert(v -> {
      AssembledProgram p = assemble("addw $" + v + ", %cx");
      long extended = (short) (int) v;
      assertEquals(fitsByte(extended) ? 4 : 5, p.instruction(0).length);
      assertEquals(extended, p.instruction(0).operand(0).imm);
    });
  }

  @Test
  void mov64UsesMovabsExactlyWhenTheValueDoesNotFitImm32() {
    qt().forAll(longs().all()).checkAssert(v -> {
      AssembledProgram p = assemble("movq $" + v + ", %rcx");
      boolean imm32 = v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
      assertEquals(imm32 ? 7 : 10, p.instruction(0).length);
      assertEquals((long) v, p.instruction(0).operand(0).imm);
      assertEquals(Opcode.MOV, p.instruction(0).opcode);
    });
  }

  @Test
  void displacementSizeFollowsItsValueAndBase() {
    qt().forAll(integers().all()).checkAssert(d -> {
      AssembledProgram p = assemble("movl " + d + "(%rcx), %eax", "movl " + d + "(%rbp), %eax",
          "movl " + d + "(%rsp), %eax", "movl " + d + "(,%rsi,2), %eax");
      int dispBytes = fitsByte(d) ? 1 : 4;
      assertEquals(d == 0 ? 2 : 2 + dispBytes, p.instruction(0).length);
      assertEquals(2 + dispBytes, p.instruction(1).length, "%rbp always needs a displacement");
      assertEquals(d == 0 ? 3 : 3 + dispBytes, p.instruction(2).length, "%rsp needs a SIB byte");
      assertEquals(7, p.instruction(3).length, "no base: SIB and disp32");
      for (int i = 0; i < 4; i++) {
        assertEquals((long) d, p.instruction(i).operand(0).disp);
      }
    });
  }

  @Test
  void expressionsComputeWhatGasComputes() {
    qt().forAll(integers().between(-100000, 100000), integers().between(-1000, 1000),
        integers().between(-64, 64)).checkAssert((a, b, c) -> {
          String x = "(" + a + ")";
          String y = "(" + b + ")";
          String z = "(" + c + ")";
          String[] exprs = {
            x + " + " + y + " * " + z,
            x + " - " + y + " - " + z,
            x + " * " + y + " + " + z + " & 0xff",
            "(" + x + " | " + y + ") ^ " + z,
            x + " << (" + y + " & 15)",
            x + " / (" + z + " | 1)",
            x + " % (" + z + " | 1)",
            "~" + x + " & " + y,
            x + " >> 3",
            "-" + x + " + +" + y,
          };
          long la = a;
          long lb = b;
          long lc = c;
          long[] want = {
            la + lb * lc,
            la - lb - lc,
            la * lb + (lc & 0xff),
            (la | lb) ^ lc,
            la << (lb & 15),
            la / (lc | 1),
            la % (lc | 1),
            ~la & lb,
            la >>> 3,
            -la + lb,
          };
          StringBuilder src = new StringBuilder(".data\nv:");
          for (String e : exprs) {
            src.append(" .quad ").append(e).append('\n');
          }
          AssembledProgram p = Assembler.assemble(src.toString(), "e.s");
          long v = p.address("v");
          for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], read(p, v + 8L * i, 8), exprs[i]);
          }
        });
  }
}
