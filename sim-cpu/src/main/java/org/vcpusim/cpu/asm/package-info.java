/**
 * The GNU as (AT&amp;T syntax) assembler for the x86-64 subset: {@link
 * org.vcpusim.cpu.asm.Assembler} turns source into an {@link org.vcpusim.cpu.isa.AssembledProgram}
 * laid out per {@link org.vcpusim.cpu.asm.Layout}; every error is one {@link
 * org.vcpusim.cpu.asm.AsmException} with file, line and column.
 */
package org.vcpusim.cpu.asm;
