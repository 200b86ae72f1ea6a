/**
 * The decoded form of x86-64 programs shared by the assembler, the cores and the cost model:
 * registers, operands, instructions, sections, symbols and the assembled program.
 */
package org.vcpusim.cpu.isa;
