package org.vcpusim.cpu.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.cpu.asm.Programs.bytes;
import static org.vcpusim.cpu.asm.Programs.read;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vcpusim.cpu.exec.CoreStatus;
import org.vcpusim.cpu.exec.TestMachine;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Symbol;
import org.vcpusim.cpu.mem.AddressSpace;

/**
 * Extern symbols ({@link Layout#withExternSymbol}): a file links against a symbol it does not
 * define, as a non-PIE program reads glibc's {@code __rseq_offset(%rip)}; encodings are those gas
 * emits for an undefined symbol once the linker has resolved it, and the file may not define the
 * name itself.
 */
class AssemblerExternTest {
  private static final long RSEQ_OFFSET_SLOT = 0x300000L;
  private static final Layout LIBC = Layout.defaults().withExternSymbol("__rseq_offset",
      RSEQ_OFFSET_SLOT);

  private static AssembledProgram assemble(Layout layout, String... lines) {
    return Assembler.assemble(String.join("\n", lines) + "\n", "ext.s", layout);
  }

  private static AsmException error(String... lines) {
    return assertThrows(AsmException.class, () -> assemble(LIBC, lines));
  }

  @Test
  void ripRelativeLoadIsEncodedRelativeToTheNextInstruction() {
    AssembledProgram p = assemble(LIBC, "movq __rseq_offset(%rip), %rdx");
    Instruction mov = p.instruction(0);
    assertEquals(0x401000L, mov.address);
    long disp = RSEQ_OFFSET_SLOT - mov.nextAddress();
    assertArrayEquals(bytes(0x48, 0x8b, 0x15, (int) disp & 0xff, (int) (disp >> 8) & 0xff,
        (int) (disp >> 16) & 0xff, (int) (disp >> 24) & 0xff), bytes(p, mov.address, 7));
    assertEquals(Registers.RIP, mov.operand(0).base);
    assertEquals(RSEQ_OFFSET_SLOT, mov.nextAddress() + mov.operand(0).disp);
  }

  @Test
  void externPlusConstantIsAnAddressInData() {
    AssembledProgram p = assemble(LIBC, ".data", "ptr: .quad __rseq_offset + 8, __rseq_offset");
    long ptr = p.address("ptr");
    assertEquals(RSEQ_OFFSET_SLOT + 8, read(p, ptr, 8));
    assertEquals(RSEQ_OFFSET_SLOT, read(p, ptr + 8, 8));
  }

  @Test
  void directCallAndJumpToAnExternUseRel32() {
    Layout near = Layout.defaults().withExternSymbol("helper", 0x401010L);
    AssembledProgram p = assemble(near, "call helper", "jmp helper", "jne helper");
    Instruction call = p.instruction(0);
    Instruction jmp = p.instruction(1);
    Instruction jne = p.instruction(2);
    assertEquals(0x401010L, call.target);
    assertEquals(5, call.length);
    assertEquals(0x401010L, jmp.target);
    assertEquals(5, jmp.length, "an extern is in no section of the file: never a short jump");
    assertEquals(0x401010L, jne.target);
    assertEquals(6, jne.length);
  }

  @Test
  void immediateOfAnExternTakesTheFullWidthField() {
    Layout small = Layout.defaults().withExternSymbol("tiny", 0x10L);
    AssembledProgram withExtern = assemble(small, "addq $tiny, %rbx");
    AssembledProgram withConstant = Assembler.assemble("addq $0x10, %rbx\n", "c.s");
    assertEquals(4, withConstant.instruction(0).length, "a known constant takes imm8");
    assertEquals(7, withExtern.instruction(0).length, "an unknown value takes imm32, as in gas");
    assertEquals(0x10L, withExtern.instruction(0).operand(0).imm);
  }

  @Test
  void symbolTableListsTheExternAsGlobalAbsolute() {
    AssembledProgram p = assemble(LIBC, ".extern __rseq_offset", ".globl __rseq_offset", "nop");
    Symbol s = p.symbol("__rseq_offset").orElseThrow();
    assertEquals(RSEQ_OFFSET_SLOT, s.value());
    assertNull(s.section());
    assertTrue(s.global());
    assertEquals(1, p.sections().size(), "an extern adds no section to the image");
  }

  @ParameterizedTest
  @ValueSource(strings = {"__rseq_offset: .quad 0", ".set __rseq_offset, 4",
      ".equ __rseq_offset, 4", "__rseq_offset = 4"})
  void theFileMayNotDefineAnExtern(String definition) {
    AsmException e = error("nop", definition);
    assertEquals(2, e.location().line());
    assertEquals(1, e.location().column());
    assertTrue(e.problem().contains(
            "symbol '__rseq_offset' is already defined outside this file (an extern symbol at "
                + "0x300000)"), e.getMessage());
    assertEquals("__rseq_offset", e.near());
  }

  @Test
  void sizeOfAnExternIsRejected() {
    AsmException e = error("nop", ".size __rseq_offset, 8");
    assertEquals(2, e.location().line());
    assertTrue(e.problem().contains(".size of extern symbol '__rseq_offset'"), e.getMessage());
  }

  @Test
  void differenceWithALabelIsAnErrorLikeAnotherSection() {
    AsmException e = error(".data", "x: .quad __rseq_offset - x");
    assertTrue(e.problem().contains("cannot subtract addresses in different sections"),
        e.getMessage());
  }

  @Test
  void withoutTheExternTheSymbolIsUndefined() {
    AsmException e = assertThrows(AsmException.class,
        () -> assemble(Layout.defaults(), "movq __rseq_offset(%rip), %rdx"));
    assertTrue(e.problem().contains("undefined symbol '__rseq_offset'"));
  }

  @Test
  void layoutRejectsBadNamesAndAddresses() {
    Layout l = Layout.defaults();
    assertThrows(IllegalArgumentException.class, () -> l.withExternSymbol("1abc", 0));
    assertThrows(IllegalArgumentException.class, () -> l.withExternSymbol("a b", 0));
    assertThrows(IllegalArgumentException.class, () -> l.withExternSymbol("", 0));
    assertThrows(IllegalArgumentException.class, () -> l.withExternSymbol("ok", -1));
    Layout twice = l.withExternSymbol("a", 1).withExternSymbol("a", 2);
    assertEquals(2L, twice.externSymbols().get("a"), "a later extern of the same name replaces");
    assertTrue(l.externSymbols().isEmpty(), "with... returns a copy");
  }

  /** The loaded program reads the runner's slot through the extern, like glibc's copy. */
  @Test
  void programReadsTheSlotTheExternNames() {
    AssembledProgram p = assemble(LIBC,
        "movq __rseq_offset(%rip), %rdx",
        "movl %fs:4(%rdx), %eax",
        "nop");
    TestMachine m = new TestMachine();
    m.space.map(RSEQ_OFFSET_SLOT, AddressSpace.PAGE_SIZE, AddressSpace.READ);
    byte[] offset = bytes(0x20, 0x09, 0, 0, 0, 0, 0, 0); // 2336
    assertTrue(m.space.writeIgnoringPermissions(RSEQ_OFFSET_SLOT, offset, 0, 8));
    long tp = TestMachine.DATA;
    m.ctx.setFsBase(tp);
    assertTrue(m.space.store(tp + 2336 + 4, 4, 7));
    m.load(p);
    assertEquals(CoreStatus.RETIRED, m.run(2));
    assertEquals(2336, m.reg(Registers.RDX));
    assertEquals(7, m.reg(Registers.RAX));
  }
}
