package org.vcpusim.cpu.asm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vcpusim.cpu.isa.AssembledProgram;

/**
 * Assembles GNU as AT&amp;T-syntax x86-64 source into an {@link AssembledProgram}: a static,
 * non-PIE image (sections at absolute addresses per {@link Layout}), its symbol table and the
 * pre-decoded {@link org.vcpusim.cpu.isa.Instruction}s in address order.
 *
 * <h2>The core executes the decoded form</h2>
 *
 * A core runs {@code Instruction}s, never bytes. The bytes in the sections are nevertheless the
 * real x86-64 encodings, byte for byte what GNU as 2.40 followed by a static link at the same
 * addresses produces (checked against recorded {@code as}/{@code ld} output in the tests): so
 * lengths, addresses, {@code %rip}-relative displacements, the rseq signature before an abort label
 * ({@code nopl 0x53053053(%rip)} = {@code 0f 1f 05 53 30 05 53}, or librseq's {@code .byte
 * 0x0f,0xb9,0x3d; .long 0x53053053}) and any data read from code are exact.
 *
 * <h2>Language (GNU as manual; x86 specifics from binutils {@code tc-i386.c})</h2>
 *
 * <ul>
 *   <li>Statements end at a newline or {@code ;}; comments are {@code #} and {@code //} to the end
 *       of the line and {@code /* ... *}{@code /} across lines. Several labels may precede a
 *       statement.
 *   <li>Labels {@code name:}, numeric local labels {@code N:} referenced as {@code Nf} (next) and
 *       {@code Nb} (previous), assignments {@code .set}/{@code .equ}/{@code name = expr}, and the
 *       extern symbols of the {@link Layout} ({@link Layout#withExternSymbol}: absolute addresses
 *       the file uses but must not define, such as glibc's {@code __rseq_offset}).
 *   <li>Expressions: numbers (decimal, {@code 0x}, {@code 0b}, octal, {@code 'c}), symbols,
 *       {@code .}, parentheses, unary {@code - + ~ !}, binary {@code * / % << >> & | ^ + -},
 *       comparisons, {@code && ||}, with gas precedence. An address plus or minus a constant is an
 *       address; the difference of two addresses in one section is a constant.
 *   <li>Directives: {@code .byte .short .word .hword .value .2byte .long .int .4byte .quad .8byte
 *       .zero .skip .space .ascii .asciz .string .balign .p2align .align} (on x86 {@code .align}
 *       counts bytes, like {@code .balign}) {@code .globl .global .type .size .set .equ .section
 *       .pushsection .popsection .previous .text .data .bss .rodata .extern}; {@code .extern} is
 *       accepted and ignored as in gas; {@code .reloc} is accepted
 *       and ignored (it only keeps sections alive under {@code --gc-sections}, which a static image
 *       without section garbage collection does not need); {@code .file .ident .loc .hidden
 *       .cfi_*} are ignored (debug and object metadata).
 *   <li>Repetition: {@code .rept COUNT} ... {@code .endr} assembles the body COUNT times (an
 *       absolute expression from 0, evaluated when the directive is read); {@code .irp SYMBOL,
 *       V1, V2, ...} ... {@code .endr} assembles it once per value with {@code \SYMBOL}
 *       replaced by the value ({@code \()} separates, as in {@code lbl_\r\():}; values are
 *       separated by commas or blanks, a value in double quotes may hold both; no values assemble
 *       the body once with an empty value). Blocks nest; the {@code .endr} must not carry a
 *       label (gas does not recognise it either). Numeric local labels in a body are defined
 *       afresh in each expansion. An error in a body names the body line and column (shifted
 *       after a substituted value) and "in .rept expansion K of N at" the opening directive. See
 *       {@code Repetition}.
 *   <li>Sections: {@code .text} first, then the others in order of first appearance; flags
 *       {@code a w x} (and {@code M S}) give the page permissions; {@code @nobits} and {@code
 *       .bss*} sections are zero-filled and accept no data. Alignment padding in an executable
 *       section is gas's multi-byte NOPs and appears as NOP instructions (see {@code
 *       NopPadding}); elsewhere it is zeros or the given fill byte.
 *   <li>Operands: {@code %reg}, {@code $expr}, {@code [%fs:|%gs:]disp(base,index,scale)}, {@code
 *       sym(%rip)} (encoded displacement {@code sym - next_ip}; a pure number is encoded as is),
 *       {@code *%reg} and {@code *mem} for indirect {@code jmp}/{@code call}, {@code sym@PLT} on
 *       a direct call or jump.
 *   <li>Instructions: every {@link org.vcpusim.cpu.isa.Opcode} with its AT&amp;T spellings and
 *       size suffixes, {@code lock} before the instruction on the same line, on the line before or
 *       as {@code lock;}. Without a suffix the size comes from the register operands;
 *       with neither it is an error, as the gas message says: "no instruction mnemonic suffix
 *       given and no register operands".
 *   <li>Encoding choices (short immediates, displacement sizes, branch relaxation) follow gas;
 *       see {@code InstructionEncoder}.
 * </ul>
 *
 * <h2>Decoded form conventions</h2>
 *
 * <ul>
 *   <li>{@link org.vcpusim.cpu.isa.Instruction#size}: the operation size; the destination's for
 *       {@code movz/movs} and {@code lea}; 8 for {@code push pop call ret jmp} (direct or not) and
 *       {@code rdpid}; 1 for {@code set}<i>cc</i>; 0 for {@code j}<i>cc</i>, every {@code nop},
 *       prefetches, fences, {@code pause rdtsc rdtscp syscall ud2}; the register's for {@code
 *       rd/wr fs/gs base} and {@code ud1}; 8/4/4/8 for {@code cltq cwtl cltd cqto}.
 *   <li>Direct {@code jmp}, {@code j}<i>cc</i> and {@code call} have no operands and an absolute
 *       {@link org.vcpusim.cpu.isa.Instruction#target}; indirect ones have one register or memory
 *       operand (memory access size 8) and target -1.
 *   <li>Shifts and rotates always carry their count: {@code shl %eax} decodes as {@code shl $1,
 *       %eax}. {@code imul $imm, %reg} decodes as {@code imul $imm, %reg, %reg}.
 *   <li>Immediates are sign-extended from the operation size ({@code movb $0xff, %al} has imm -1),
 *       except {@code ret $imm16}, which is unsigned; {@code push $imm} has size 8.
 *   <li>Memory operands of {@code lea}, {@code nop}, prefetches and {@code ud1} have size 0 (no
 *       access). {@code %cs: %ds: %es: %ss:} overrides are encoded but decode to {@link
 *       org.vcpusim.cpu.isa.Segment#NONE}. A {@code movabs} address is a memory operand with
 *       neither base nor index and the full 64-bit address as displacement.
 *   <li>Code alignment padding decodes to {@code NOP}s (and a leading {@code JMP} over long
 *       padding) whose text ends with {@code "# alignment padding"} and whose source is the
 *       alignment directive.
 * </ul>
 *
 * <h2>Errors</h2>
 *
 * The first error stops assembly with an {@link AsmException}: {@code file:line:col: error:
 * <what>; expected <what> (near '<text>')}. Errors are stricter than gas where gas only warns
 * (an immediate that does not fit its field, a missing suffix).
 *
 * <p>Thread-safe: each call works on its own state.
 */
public final class Assembler {
  private Assembler() {}

  /**
   * Assembles {@code source}.
   *
   * @param fileName the name used in source locations and error messages
   * @throws AsmException at the first error
   */
  public static AssembledProgram assemble(String source, String fileName, Layout layout) {
    return new Assembly(fileName, layout).run(source);
  }

  /** Assembles {@code source} with {@link Layout#defaults()}. */
  public static AssembledProgram assemble(String source, String fileName) {
    return assemble(source, fileName, Layout.defaults());
  }

  /**
   * Reads {@code file} as UTF-8 and assembles it; locations name the file as given.
   *
   * @throws IOException when the file cannot be read
   * @throws AsmException at the first error
   */
  public static AssembledProgram assembleFile(Path file, Layout layout) throws IOException {
    return assemble(Files.readString(file, StandardCharsets.UTF_8), file.toString(), layout);
  }
}
