package org.vcpusim.cpu.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.cpu.asm.Programs.assemble;
import static org.vcpusim.cpu.asm.Programs.bytes;
import static org.vcpusim.cpu.asm.Programs.onLine;
import static org.vcpusim.cpu.asm.Programs.read;
import static org.vcpusim.cpu.asm.Programs.section;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Section;
import org.vcpusim.cpu.isa.Segment;

/** The source language: comments, statements, labels, expressions, sections, the decoded form. */
class AssemblerSyntaxTest {

  @Test
  void commentsAndSeparatorsKeepLinesAndColumns() {
    AssembledProgram p = assemble(
        "# full-line comment",
        "  nop // trailing comment",
        "/* a block",
        "   spanning lines */ nop ; pause # after",
        "movl $1, %eax /* inline */ ; ret",
        "movq $0x23, %rax   # '#' ends the line; ret is not assembled");
    assertEquals(6, p.instructionCount());
    assertEquals(2, p.instruction(0).source.line());
    assertEquals(3, p.instruction(0).source.column());
    assertEquals(4, p.instruction(1).source.line());
    assertEquals(22, p.instruction(1).source.column());
    assertEquals(Opcode.PAUSE, p.instruction(2).opcode);
    assertEquals(28, p.instruction(2).source.column());
    assertEquals(List.of(Opcode.MOV, Opcode.RET),
        List.of(onLine(p, 5).get(0).opcode, onLine(p, 5).get(1).opcode));
    assertEquals(Opcode.MOV, p.instruction(5).opcode);
  }

  @Test
  void severalLabelsOnOneLineShareTheAddress() {
    AssembledProgram p = assemble("nop", "a: b: 1: c:   ret", "jmp 1b");
    long ret = p.instruction(1).address;
    assertEquals(ret, p.address("a"));
    assertEquals(ret, p.address("b"));
    assertEquals(ret, p.address("c"));
    assertEquals(ret, p.instruction(2).target);
    assertFalse(p.symbol("1").isPresent(), "numeric local labels are not symbols");
  }

  @Test
  void numericLocalLabelsReferToTheNearestDefinitionInTheirDirection() {
    AssembledProgram p = assemble(
        "1: jmp 1f",    // -> second 1
        "1: jmp 1b",    // -> itself
        "   jmp 1b",    // -> second 1
        "   jmp 1f",    // -> third 1
        "1: ret");
    long[] at = new long[5];
    for (int i = 0; i < 5; i++) {
      at[i] = p.instruction(i).address;
    }
    assertEquals(at[1], p.instruction(0).target);
    assertEquals(at[1], p.instruction(1).target);
    assertEquals(at[1], p.instruction(2).target);
    assertEquals(at[4], p.instruction(3).target);
  }

  @Test
  void lockPrefixOnTheSameLineTheLineBeforeOrAsAStatement() {
    AssembledProgram p = assemble(
        "lock incl (%rax)",
        "lock",
        "incl (%rax)",
        "lock; incl (%rax)",
        "lock incl %fs:(%rax)",
        "lock; incl %fs:(%rax)",
        "LOCK XADDQ %RAX, (%RBX)");
    assertEquals(6, p.instructionCount());
    for (Instruction i : p.instructions()) {
      assertTrue(i.lock, i.text);
      assertTrue(i.text.startsWith("lock "), i.text);
    }
    assertArrayEquals(bytes(0xf0, 0xff, 0x00), bytes(p, p.instruction(0).address, 3));
    assertArrayEquals(bytes(0xf0, 0xff, 0x00), bytes(p, p.instruction(1).address, 3));
    assertEquals(3, p.instruction(1).source.line(), "a lock on its own line joins the next one");
    assertArrayEquals(bytes(0xf0, 0xff, 0x00), bytes(p, p.instruction(2).address, 3));
    // gas writes a same-statement lock after the segment prefix, a separate one before it.
    assertArrayEquals(bytes(0x64, 0xf0, 0xff, 0x00), bytes(p, p.instruction(3).address, 4));
    assertArrayEquals(bytes(0xf0, 0x64, 0xff, 0x00), bytes(p, p.instruction(4).address, 4));
    assertEquals(Opcode.XADD, p.instruction(5).opcode);
    assertEquals(1, p.instruction(0).source.column());
  }

  @Test
  void expressionsFollowGasPrecedenceAndArithmetic() {
    AssembledProgram p = assemble(".data",
        "v: .quad 1 + 2 * 3, (1 + 2) * 3, 3 - 1 & 1, 1 << 2 + 1, -7 / 2, -7 % 3, ~0 >> 60",
        "   .quad 'a, 0b101, 017, 0x1F, 1 == 1, 2 < 1, !0, 1 && 0, 0 || 2, 6 & 3 | 8, 1 | 2 ^ 3",
        "   .quad 0xffffffffffffffff, -0x8000000000000000, 5 <> 5, 3 >= 3, 18446744073709551615");
    long[] expected = {7, 9, 2, 5, -3, -1, 15, 97, 5, 15, 31, -1, 0, 1, 0, 1, 10, 0, -1,
        Long.MIN_VALUE, 0, -1, -1};
    long v = p.address("v");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], read(p, v + 8L * i, 8), "value " + i);
    }
  }

  @Test
  void assignmentsBindLikeGas() {
    AssembledProgram p = assemble(".data",
        ".set x, 1",
        "a: .quad x",
        ".set x, 2",
        "   .quad x, y",
        ".equ y, 5",
        ".set y, 6",
        "z = a + 8",
        "   .quad z, y");
    long a = p.address("a");
    assertEquals(1, read(p, a, 8));
    assertEquals(2, read(p, a + 8, 8));
    assertEquals(5, read(p, a + 16, 8), "a forward reference takes the next definition");
    assertEquals(a + 8, read(p, a + 24, 8));
    assertEquals(6, read(p, a + 32, 8));
    assertEquals(".data", p.symbol("z").orElseThrow().section(), "z is an address");
    assertEquals(6, p.address("y"));
  }

  @Test
  void sectionsAreLaidOutInFirstAppearanceOrderOnTheirOwnPages() {
    AssembledProgram p = assemble(
        ".pushsection __rseq_cs, \"aw\"",
        "d0: .quad 1",
        ".pushsection .rodata.cst8, \"a\"",
        "r0: .quad 2",
        ".popsection",
        "d1: .quad 3",
        ".popsection",
        "t0: nop",
        ".data",
        "d2: .long 4",
        ".previous",
        "t1: ret",
        ".previous",
        "d3: .long 5",
        ".rodata",
        "r1: .byte 6",
        ".section .note.x, \"\"",
        ".byte 7",
        ".bss",
        "b0: .zero 16",
        ".section .text",
        "t2: nop");
    List<String> names = p.sections().stream().map(Section::name).toList();
    assertEquals(List.of(".text", "__rseq_cs", ".rodata.cst8", ".data", ".rodata", ".note.x",
        ".bss"), names);
    Section text = section(p, ".text");
    assertEquals(0x401000, text.address());
    assertEquals(3, text.bytes().length);
    assertEquals(0x402000, section(p, "__rseq_cs").address());
    assertEquals(0x403000, section(p, ".rodata.cst8").address());
    assertEquals(p.address("d0") + 8, p.address("d1"));
    assertEquals(p.address("t0") + 1, p.address("t1"));
    assertEquals(p.address("d2") + 4, p.address("d3"));
    assertEquals(p.address("t1") + 1, p.address("t2"));
    Section cs = section(p, "__rseq_cs");
    assertTrue(cs.readable() && cs.writable() && !cs.executable());
    Section ro = section(p, ".rodata");
    assertTrue(ro.readable() && !ro.writable() && !ro.executable());
    assertTrue(text.readable() && !text.writable() && text.executable());
    Section note = section(p, ".note.x");
    assertFalse(note.readable(), "a section without the 'a' flag is not loaded");
    Section bss = section(p, ".bss");
    assertArrayEquals(new byte[16], bss.bytes());
    assertTrue(bss.writable());
    for (int i = 1; i < p.sections().size(); i++) {
      assertEquals(0, p.sections().get(i).address() % 4096);
    }
  }

  @Test
  void layoutCanMoveTextRealignSectionsAndPinOne() {
    String src = "nop\n.data\nx: .quad 1\n.section .y,\"aw\"\ny: .quad 2\n";
    AssembledProgram p = Assembler.assemble(src, "t.s",
        Layout.defaults().withTextAddress(0x10000).withSectionAlignment(0x200000)
            .withSectionAddress(".data", 0x7000000));
    assertEquals(0x10000, section(p, ".text").address());
    assertEquals(0x7000000, p.address("x"));
    assertEquals(0x7200000, p.address("y"), "sections after a pinned one continue from it");
    Layout d = Layout.defaults();
    assertEquals(0x401000, d.textAddress());
    assertEquals(4096, d.sectionAlignment());
    assertTrue(d.pinnedSections().isEmpty());
  }

  @Test
  void operandSizeComesFromSuffixOrRegisters() {
    AssembledProgram p = assemble(
        "mov %eax, (%rbx)",
        "movb $1, (%rax)",
        "inc %r8w",
        "movzbl (%rsi), %eax",
        "movslq %ecx, %rdx",
        "shl %cl, %r9",
        "sete (%rdi)",
        "push (%rax)",
        "cmpq $-1, 8(%rsp)");
    int[] sizes = {4, 1, 2, 4, 8, 8, 1, 8, 8};
    for (int i = 0; i < sizes.length; i++) {
      assertEquals(sizes[i], p.instruction(i).size, p.instruction(i).text);
    }
    assertEquals(4, p.instruction(0).operand(1).size);
    assertEquals(1, p.instruction(3).operand(0).size, "movzbl reads one byte");
    assertEquals(4, p.instruction(4).operand(0).size);
    assertEquals(1, p.instruction(5).operand(0).size, "%cl");
    assertEquals(-1, p.instruction(8).operand(0).imm);
    assertEquals(8, p.instruction(8).operand(0).size);
  }

  @Test
  void conditionAliasesAndIntelNamesMapToOneOperation() {
    AssembledProgram p = assemble("1: jz 1b", "je 1b", "jc 1b", "jnae 1b", "cmovnbe %eax, %ebx",
        "cmova %eax, %ebx", "setpe %al", "setp %al", "cdqe", "cltq", "cqo", "cwde", "cdq",
        "sal $2, %eax", "shl $2, %eax", "cmovll %eax, %ebx", "setnbb %al");
    assertEquals(Condition.E, p.instruction(0).condition);
    assertEquals(Condition.E, p.instruction(1).condition);
    assertEquals(Condition.B, p.instruction(2).condition);
    assertEquals(Condition.B, p.instruction(3).condition);
    assertEquals(Condition.A, p.instruction(4).condition);
    assertEquals(Condition.A, p.instruction(5).condition);
    assertEquals(Condition.P, p.instruction(6).condition);
    assertEquals(Opcode.CLTQ, p.instruction(8).opcode);
    assertEquals(Opcode.CLTQ, p.instruction(9).opcode);
    assertEquals(Opcode.CQTO, p.instruction(10).opcode);
    assertEquals(Opcode.CWTL, p.instruction(11).opcode);
    assertEquals(Opcode.CLTD, p.instruction(12).opcode);
    assertEquals(Opcode.SHL, p.instruction(13).opcode);
    assertArrayEquals(bytes(p, p.instruction(14).address, 3), bytes(p, p.instruction(13).address, 3));
    assertEquals(Condition.L, p.instruction(15).condition);
    assertEquals(4, p.instruction(15).size);
    assertEquals(Condition.AE, p.instruction(16).condition);
  }

  @Test
  void ripRelativeDisplacementsAreEncodedAsTheHardwareSeesThem() {
    AssembledProgram p = assemble(
        "movq sym(%rip), %rax",
        "movq 8(%rip), %rax",
        "leaq .(%rip), %rcx",
        "nopl 0x53053053(%rip)",
        "ud1 0x53053053(%rip), %edi",
        ".data",
        "sym: .quad 0");
    Instruction load = p.instruction(0);
    assertEquals(p.address("sym") - load.nextAddress(), load.operand(0).disp);
    assertEquals(8, p.instruction(1).operand(0).disp, "a number is the displacement itself");
    Instruction lea = p.instruction(2);
    assertEquals(-lea.length, lea.operand(0).disp, "'.' is the instruction's own address");
    assertArrayEquals(bytes(0x0f, 0x1f, 0x05, 0x53, 0x30, 0x05, 0x53),
        bytes(p, p.instruction(3).address, 7));
    assertEquals(0, p.instruction(3).size);
    assertEquals(0, p.instruction(3).operand(0).size);
    assertArrayEquals(bytes(0x0f, 0xb9, 0x3d, 0x53, 0x30, 0x05, 0x53),
        bytes(p, p.instruction(4).address, 7));
    assertEquals(Opcode.UD1, p.instruction(4).opcode);
    assertEquals(Registers.RDI, p.instruction(4).operand(1).reg);
  }

  @Test
  void decodedOperandsFollowAttOrder() {
    AssembledProgram p = assemble(
        "movq %gs:-16(%r10,%rax,8), %rcx",
        "imul $5, %eax",
        "imul $300, (%rbx), %edx",
        "shl %eax",
        "ret $16",
        "movabs $0x1122334455667788, %r9",
        "movb $0xff, %al",
        "jmp *8(%rax)",
        "call *%r11",
        "xchg %ah, %al");
    Operand m = p.instruction(0).operand(0);
    assertEquals(Segment.GS, m.segment);
    assertEquals(Registers.R10, m.base);
    assertEquals(Registers.RAX, m.index);
    assertEquals(8, m.scale);
    assertEquals(-16, m.disp);
    assertEquals(8, m.size);
    assertEquals(Registers.RCX, p.instruction(0).destination().reg);
    Instruction imul2 = p.instruction(1);
    assertEquals(3, imul2.operands.length, "imul $imm, %reg is imul $imm, %reg, %reg");
    assertEquals(5, imul2.operand(0).imm);
    assertEquals(3, p.instruction(2).operands.length);
    Instruction shl = p.instruction(3);
    assertEquals(2, shl.operands.length, "a missing shift count is an explicit 1");
    assertEquals(1, shl.operand(0).imm);
    assertEquals(16, p.instruction(4).operand(0).imm);
    assertEquals(0x1122334455667788L, p.instruction(5).operand(0).imm);
    assertEquals(10, p.instruction(5).length);
    assertEquals(-1, p.instruction(6).operand(0).imm, "immediates are sign-extended from their size");
    Instruction jmp = p.instruction(7);
    assertEquals(-1, jmp.target);
    assertEquals(8, jmp.operand(0).size);
    assertEquals(Registers.R11, p.instruction(8).operand(0).reg);
    assertTrue(p.instruction(9).operand(0).highByte);
  }

  @Test
  void codeAlignmentPaddingIsMadeOfInstructions() {
    AssembledProgram p = assemble("nop", ".p2align 4", "ret", ".p2align 8", "ret");
    // 15 bytes of padding: an 11-byte and a 4-byte NOP; then 255 - 16 = 239: jmp + NOPs.
    Instruction first = p.instruction(1);
    assertEquals(0x401001, first.address);
    assertEquals(11, first.length);
    assertEquals(Opcode.NOP, first.opcode);
    assertEquals(2, first.source.line());
    assertEquals(4, p.instruction(2).length);
    Instruction ret = p.instructionAt(0x401010);
    assertEquals(Opcode.RET, ret.opcode);
    Instruction jump = p.instruction(ret.index + 1);
    assertEquals(Opcode.JMP, jump.opcode);
    assertEquals(5, jump.length, "239 bytes of padding start with jmp rel32");
    assertEquals(0x401100, jump.target);
    long covered = 0;
    for (int i = ret.index + 1; p.instruction(i).opcode != Opcode.RET; i++) {
      covered += p.instruction(i).length;
    }
    assertEquals(0x401100 - 0x401011, covered);
    assertEquals(Opcode.RET, p.instructionAt(0x401100).opcode);
  }

  @Test
  void dataDirectivesWriteLittleEndianAtExactAddresses() {
    AssembledProgram p = assemble(".data",
        "a: .byte 1, -1, 255",
        "b: .short 0x1234, -2",
        "c: .long 0x89abcdef, 2f - 1f",
        "d: .quad ., .",
        "e: .ascii \"A\\n\\t\\\"\\\\\\101\\x41\"",
        "f: .asciz \"hi\", \"\"",
        "g: .skip 3, 0xee",
        "h: .zero 2",
        "   .balign 8, 0x11",
        "i: .word 7",
        ".text",
        "1: nop; nop",
        "2: ret");
    long a = p.address("a");
    assertArrayEquals(bytes(1, 0xff, 0xff), bytes(p, a, 3));
    assertArrayEquals(bytes(0x34, 0x12, 0xfe, 0xff), bytes(p, p.address("b"), 4));
    assertEquals(0x89abcdefL, read(p, p.address("c"), 4));
    assertEquals(2, read(p, p.address("c") + 4, 4));
    assertEquals(p.address("d"), read(p, p.address("d"), 8));
    assertEquals(p.address("d") + 8, read(p, p.address("d") + 8, 8), "'.' advances within a list");
    assertArrayEquals("A\n\t\"\\AA".getBytes(StandardCharsets.US_ASCII),
        bytes(p, p.address("e"), 7));
    assertArrayEquals(bytes('h', 'i', 0, 0), bytes(p, p.address("f"), 4));
    assertArrayEquals(bytes(0xee, 0xee, 0xee, 0, 0), bytes(p, p.address("g"), 5));
    assertEquals(0, p.address("i") % 8);
    assertEquals(0x11, read(p, p.address("i") - 1, 1));
    assertEquals(7, read(p, p.address("i"), 2));
  }

  @Test
  void directivesWithoutMemoryEffectAreAccepted() {
    AssembledProgram p = assemble(
        ".file \"x.c\"",
        ".ident \"GCC\"",
        ".globl f, g",
        ".global h",
        ".type f, @function",
        ".type g, %object",
        ".type h, STT_NOTYPE",
        "f: .cfi_startproc",
        "   .reloc 0, R_X86_64_NONE, 1f",
        "   call g@PLT",
        "   .cfi_endproc",
        "   .size f, .-f",
        "g: ret",
        "h: .loc 1 2 3",
        ".hidden h",
        ".data",
        "1: .quad 0");
    assertTrue(p.symbol("f").orElseThrow().global());
    assertTrue(p.symbol("g").orElseThrow().global());
    assertTrue(p.symbol("h").orElseThrow().global());
    assertEquals(5, p.symbol("f").orElseThrow().size());
    assertEquals(p.address("g"), p.instruction(0).target);
    assertEquals(6, section(p, ".text").bytes().length, ".reloc emits nothing");
  }

  @Test
  void indexAtFindsEveryInstructionAndOnlyThose() {
    AssembledProgram p = Assembler.assemble(GoldenFile.resource("tcmalloc-pop.s"), "t.s");
    for (int i = 0; i < p.instructionCount(); i++) {
      Instruction insn = p.instruction(i);
      assertEquals(i, insn.index);
      assertEquals(i, p.indexAt(insn.address));
      if (insn.length > 1) {
        assertEquals(-1, p.indexAt(insn.address + 1));
      }
    }
    assertNull(p.instructionAt(p.address("slabs")));
  }

  @Test
  void emptySourceIsAnEmptyTextSection() {
    AssembledProgram p = assemble("", "   # nothing");
    assertEquals(1, p.sections().size());
    assertEquals(0, p.instructionCount());
    assertEquals(0x401000, p.sections().get(0).address());
  }
}
