package org.vcpusim.cpu.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of error names the right line and column, says what is wrong and what was expected,
 * and quotes the offending text. Only the first error of a source is reported.
 */
class AssemblerErrorTest {

  private static AsmException error(String source) {
    return assertThrows(AsmException.class, () -> Assembler.assemble(source, "bad.s"));
  }

  @Test
  void messageHasFileLineColumnWhatExpectedAndNear() {
    AsmException e = error("        nop\n        frobq %rax\n");
    assertEquals("bad.s:2:9: error: unknown or unsupported instruction 'frobq'; expected an "
        + "instruction of the supported x86-64 subset (see Assembler) (near 'frobq')",
        e.getMessage());
    assertEquals(2, e.location().line());
    assertEquals(9, e.location().column());
    assertEquals("frobq", e.near());
  }

  @Test
  void onlyTheFirstErrorIsReported() {
    AsmException e = error("movl %eax\naddb %rax, (%rbx)\n.bogus\n");
    assertEquals(1, e.location().line());
  }

  /**
   * Each row: source (with | for newlines), line, column, a fragment of the problem, the near
   * text.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
    // unknown mnemonic and directive
    "`nop|  rep movsb`; 2; 3; rep prefixes; rep",
    "`  .macro foo`; 1; 3; unknown or unsupported directive; .macro",
    "x: .quad 1|.intel_syntax noprefix;        2; 1; unknown or unsupported directive; .intel_syntax",
    // symbols
    "jmp nowhere;                              1; 5; undefined symbol 'nowhere';    nowhere",
    "movq $1, %rax|movq missing(%rip), %rbx;   2; 6; undefined symbol 'missing';    missing",
    "a: nop|b: nop|  a: ret;                   3; 3; symbol 'a' is already defined; a",
    "a: nop|.set a, 4;                         2; 1; already defined as a label;    a",
    "jmp 1f|2: nop;                            1; 5; no label '1:' after this reference; 1f",
    "1: nop|jne 1f;                            2; 5; no label '1:' after this reference; 1f",
    "`  jmp 1b`; 1; 7; no label '1:' before this reference; 1b",
    ".set x, y+1|.set y, x|.quad x; 1; 1; defined in terms of itself; x",
    ".size f, 4;                               1; 1; .size of undefined symbol 'f'; f",
    // operand combinations and sizes
    "mov (%rax), (%rbx);                       1; 13; too many memory operands;      (%rbx)",
    "movb %rax, (%rbx);                        1; 6; '%rax' not allowed with 'movb'; %rax",
    "add %eax, %rbx;                           1; 11; register size mismatch;        %rbx",
    "add $1, (%rax);                           1; 1; no instruction mnemonic suffix given and no register operands; add $1, (%rax)",
    "incl;                                     1; 1; wrong number of operands;      incl",
    "mov $1;                                   1; 1; wrong number of operands;      mov $1",
    "movl %eax, $1;                            1; 12; immediate cannot be the destination; $1",
    "lea %rax, %rbx;                           1; 5; lea needs a memory operand;     %rax",
    "leal %fs:(%rax), %ebx;                    1; 6; without a segment base;         %fs:(%rax)",
    "movb %ah, %r8b;                           1; 6; can't encode register '%ah';    %ah",
    "setne %eax;                               1; 7; has no 32-bit form;             %eax",
    "cmovne %al, %bl;                          1; 8; has no 8-bit form;              %al",
    "push %eax;                                1; 6; need a 64-bit register;         %eax",
    "pushl (%rax); 1; 1; invalid size suffix 'l' for 'push'; pushl",
    "jmp %rax;                                 1; 5; without '*';                   %rax",
    "jne *%rax; 1; 5; '*' is only allowed; *%rax",
    "addl *%eax, %ebx;                         1; 6; '*' is only allowed;           *%eax",
    "shl %dl, %eax;                            1; 5; shift count register must be %cl; %dl",
    "movzx (%rax), %eax;                       1; 7; ambiguous source size;         (%rax)",
    "movzbl %ax, %eax;                         1; 8; not allowed with 'movzbl';     %ax",
    "movzwl %ax, %ax;                          1; 13; not allowed with 'movzwl';    %ax",
    "rdpid %eax;                               1; 7; rdpid needs a 64-bit register; %eax",
    "wrgsbase (%rax);                          1; 10; needs a register;             (%rax)",
    "prefetcht0 %rax;                          1; 12; needs a memory operand;        %rax",
    "ud1;                                      1; 1; wrong number of operands;      ud1",
    // immediates and displacements out of range
    "addb $256, %al;                           1; 6; immediate 0x100 out of range;   $256",
    "addq $0x80000000, %rax;                   1; 6; immediate 0x80000000 out of range; $0x80000000",
    "movl $0x1ffffffff, %eax;                  1; 6; immediate 0x1ffffffff out of range; $0x1ffffffff",
    "movq $0x80000000, (%rax);                 1; 6; out of range;                  $0x80000000",
    "shl $256, %eax;                           1; 5; immediate 0x100 out of range;   $256",
    "ret $0x10000;                             1; 5; out of range;                  $0x10000",
    "pushq $0x80000000;                        1; 7; out of range;                  $0x80000000",
    "movl 0x123456789(%rax), %eax;             1; 6; out of range of signed 32-bit displacement; 0x123456789(%rax)",
    ".data|.byte 1, 256; 2; 10; value 0x100 does not fit in 1 byte; 256",
    ".data|.short -32769;                      2; 8; does not fit in 2 bytes;       -",
    ".data|.long 0x100000000;                  2; 7; does not fit in 4 bytes;       0x100000000",
    "movb $sym, %al|.set sym, 300;             1; 6; immediate 0x12c out of range;   $sym",
    // lock
    "lock movl %eax, (%rbx);                   1; 1; cannot be locked;              lock movl %eax, (%rbx)",
    "lock addl %eax, %ebx;                     1; 1; cannot be locked;              lock addl %eax, %ebx",
    "lock|nop;                                 1; 1; cannot be locked;              lock nop",
    "`  lock`; 1; 3; at the end of the file; lock",
    "lock|1: incl (%rax);                      2; 1; not followed by an instruction; 1:",
    "lock|.byte 1;                             2; 1; not followed by an instruction; .byte",
    "lock lock incl (%rax);                    1; 6; duplicate 'lock';              lock",
    // syntax
    "orl%ebx, %eax;                            1; 4; invalid character '%' in mnemonic; %ebx",
    "movl (%rax, ), %ebx;                      1; 13; missing index register;        )",
    "jmpq 1f|1: ret;                           1; 1; invalid size suffix for a direct 'jmpq'; jmpq 1f",
    "movl %eax %ebx;                           1; 11; unexpected '%';                %ebx",
    "movl %xmm0, %eax;                         1; 6; unsupported register '%xmm0';  %xmm0",
    "movl (%eax), %ebx;                        1; 7; cannot be a base register;     %eax",
    "movl (%rax,%rsp), %ebx;                   1; 12; cannot be an index register;  %rsp",
    "movl (%rax,%rbx,3), %ebx;                 1; 17; invalid scale factor;         3)",
    "movl 4(%rip,%rax), %ebx;                  1; 13; cannot have an index;         %rax",
    "movl $(1+2, %eax; 1; 11; unbalanced parenthesis; , %eax",
    ".quad 08;                                 1; 7; invalid octal number;          08",
    ".quad 0x1_0;                              1; 7; invalid number;                0x1_0",
    ".quad 0x10000000000000000;                1; 7; number too large;              0x10000000000000000",
    "call foo@GOTPCREL|foo: ret;               1; 9; relocation operator '@GOTPCREL'; foo@GOTPCREL",
    ".ascii \"abc;                             1; 8; missing end-quote;             ",
    "nop|/* never closed|nop;                  2; 1; unterminated /* comment;       /*",
    "12 nop;                                   1; 1; unexpected number;             12 nop",
    // expressions
    ".data|x: .quad x * 2; 2; 12; cannot be applied to an address; *",
    ".data|x: .quad 1|.text|y: nop|.data|.quad x - y; 6; 9; different sections;  -",
    ".quad 4 / 0;                              1; 9; division by zero;              /",
    ".quad 1 - x|x: nop;                       1; 9; cannot subtract an address from a constant; -",
    ".zero x|x: nop;                           1; 7; not a constant;                x",
    // sections
    ".popsection;                              1; 1; without a matching .pushsection; .popsection",
    ".section .tdata,\"awT\",@progbits; 1; 17; TLS sections are not supported; `\"awT\"`",
    ".section .x,\"ax\"|.section .x,\"aw\"; 2; 1; reopened with different attributes; .section .x",
    ".bss|.byte 1;                             2; 1; zero-filled section '.bss';    .byte 1",
    ".bss|nop;                                 2; 1; zero-filled section '.bss';    nop",
    ".balign 3;                                1; 9; not a power of 2;              3",
    ".type f, @tls_object;                     1; 10; unsupported symbol type;      @tls_object",
  })
  void reportsLineColumnAndProblem(String source, int line, int column, String problem,
      String near) {
    AsmException e = error(source.replace('|', '\n'));
    assertTrue(e.problem().contains(problem), () -> "problem: " + e.getMessage());
    assertEquals(line, e.location().line(), e::getMessage);
    assertEquals(column, e.location().column(), e::getMessage);
    if (near != null && !near.isEmpty()) {
      assertTrue(e.near() != null && e.near().startsWith(near), () -> "near: " + e.getMessage());
    }
    assertTrue(e.expected() != null && !e.expected().isEmpty(), e::getMessage);
    assertTrue(e.getMessage().startsWith("bad.s:" + line + ":" + column + ": error: "));
  }

  @Test
  void layoutErrorsNameTheSection() {
    AsmException e = assertThrows(AsmException.class, () -> Assembler.assemble(
        "nop\n.data\nx: .quad 1\n", "bad.s", Layout.defaults().withSectionAddress(".data",
            Layout.DEFAULT_TEXT_ADDRESS)));
    assertTrue(e.problem().contains("overlaps"), e.getMessage());
    assertEquals(2, e.location().line());
    AsmException a = assertThrows(AsmException.class, () -> Assembler.assemble(
        ".data\n.balign 64\nx: .quad 1\n", "bad.s",
        Layout.defaults().withSectionAddress(".data", 0x600020)));
    assertTrue(a.problem().contains("needs 64-byte alignment"), a.getMessage());
  }
}
