package org.vcpusim.cpu.asm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.cpu.asm.Programs.bytes;
import static org.vcpusim.cpu.asm.Programs.first;
import static org.vcpusim.cpu.asm.Programs.read;
import static org.vcpusim.cpu.asm.Programs.section;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.AssembledProgram;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;
import org.vcpusim.cpu.isa.Registers;
import org.vcpusim.cpu.isa.Section;
import org.vcpusim.cpu.isa.Segment;
import org.vcpusim.cpu.isa.Symbol;

/**
 * The rseq shapes the simulator runs, checked field by field: a critical-section descriptor
 * (kernel.md section 2: version, flags, start_ip, post_commit_offset, abort_ip) must hold the
 * addresses of the labels it names, the signature must be the four bytes right before abort_ip,
 * and the pointer arrays must point at the descriptors.
 */
class RseqShapesTest {
  private static final byte[] UD1_SIGNATURE = bytes(0x0f, 0xb9, 0x3d, 0x53, 0x30, 0x05, 0x53);
  private static final byte[] NOPL_SIGNATURE = bytes(0x0f, 0x1f, 0x05, 0x53, 0x30, 0x05, 0x53);

  private static AssembledProgram sample(String name) {
    return Assembler.assemble(GoldenFile.resource(name), name);
  }

  /** Checks the descriptor at {@code cs} against its critical section; returns abort_ip. */
  private static long checkDescriptor(AssembledProgram p, long cs, Instruction start,
      Instruction commitNext) {
    assertEquals(0, cs % 32, "descriptors are 32-byte aligned");
    assertEquals(0, read(p, cs, 4), "version");
    assertEquals(0, read(p, cs + 4, 4), "flags");
    assertEquals(start.address, read(p, cs + 8, 8), "start_ip");
    assertEquals(commitNext.address - start.address, read(p, cs + 16, 8), "post_commit_offset");
    return read(p, cs + 24, 8);
  }

  @Test
  void librseqDescriptorHoldsLabelAddressesAndSignaturePrecedesAbort() {
    AssembledProgram p = sample("rseq-descriptor.s");
    Section cs = section(p, "__rseq_cs");
    assertEquals(64, cs.bytes().length);
    assertTrue(cs.writable() && !cs.executable() && cs.readable());
    assertEquals(32, cs.alignment());
    Section failure = section(p, "__rseq_failure");
    assertTrue(failure.executable() && !failure.writable());

    Instruction store = first(p, "movq %rax, %fs:RSEQ_CS_OFFSET(%rdi)", 0);
    Instruction cmp = first(p, "cmpl %esi", store.address);
    Instruction commitNext = first(p, "xorl %eax, %eax", cmp.address);
    long abort = checkDescriptor(p, cs.address(), cmp, commitNext);
    assertArrayEquals(UD1_SIGNATURE, bytes(p, abort - 7, 7));
    Instruction handler = p.instructionAt(abort);
    assertEquals("movl $-1, %eax", handler.text);
    assertNull(p.instructionAt(abort - 7), "the signature is data, not an instruction");

    // lea 3b(%rip): the decoded displacement is relative to the next instruction.
    Instruction lea = first(p, "leaq 3b(%rip)", 0);
    Operand m = lea.operand(0);
    assertEquals(Registers.RIP, m.base);
    assertEquals(cs.address(), lea.nextAddress() + m.disp);
    assertEquals(Segment.FS, store.operand(1).segment);
    assertEquals(8, store.operand(1).disp);

    Instruction jnz = first(p, "jnz 4f", cmp.address);
    assertEquals(Opcode.JCC, jnz.opcode);
    assertEquals(Condition.NE, jnz.condition);
    assertEquals(abort, jnz.target);
    assertEquals(6, jnz.length, "a jump to another section is always rel32");

    long ptr = section(p, "__rseq_cs_ptr_array").address();
    assertEquals(cs.address(), read(p, ptr, 8));

    // The second critical section reuses the numeric labels.
    Instruction cmp2 = first(p, "cmpl %esi", commitNext.address);
    Instruction commit2Next = first(p, "xorl %eax, %eax", cmp2.address);
    long abort2 = checkDescriptor(p, cs.address() + 32, cmp2, commit2Next);
    assertEquals(abort + 5 + 1 + 7, abort2, "movl $-1 (5) + ret (1) + signature (7)");
    assertArrayEquals(UD1_SIGNATURE, bytes(p, abort2 - 7, 7));

    Symbol f = p.symbol("percpu_store").orElseThrow();
    assertTrue(f.global());
    assertEquals(".text", f.section());
    assertEquals(commitNext.address + 3 - f.value(), f.size(), ".size percpu_store, .-percpu_store");
    assertEquals(0x53053053L, p.address("RSEQ_SIG"));
    assertNull(p.symbol("RSEQ_SIG").orElseThrow().section());
  }

  @Test
  void tcmallocPopVariantsAssembleWithTrampolinesAndDescriptors() {
    AssembledProgram p = sample("tcmalloc-pop.s");
    Section unlikely = section(p, ".text.unlikely");
    assertTrue(unlikely.executable());
    String[] variants = {"a", "b", "c", "cached"};
    String[] starts = {
      "movl %fs:RSEQ_CPU_ID(%r8)", "movl %fs:RSEQ_MM_CID(%r8)", "movzwq %gs:(,%rsi,4)",
      "movq %fs:slabs_tpoff"
    };
    String[] commits = {
      "movw %ax, (%r10,%rsi,4)", "movw %ax, (%r10,%rsi,4)", "movw %ax, %gs:(,%rsi,4)",
      "movw %ax, (%r10,%rsi,4)"
    };
    long from = 0;
    long previousAbort = 0;
    for (int v = 0; v < variants.length; v++) {
      long cs = p.address("__rseq_cs_pop_" + variants[v]);
      Instruction start = first(p, starts[v], from);
      Instruction commit = first(p, commits[v], start.address);
      long abort = checkDescriptor(p, cs, start, p.instruction(commit.index + 1));
      assertTrue(unlikely.contains(abort) && abort > previousAbort);
      previousAbort = abort;
      assertArrayEquals(NOPL_SIGNATURE, bytes(p, abort - 7, 7), "signature before abort_ip");
      Instruction trampoline = p.instructionAt(abort);
      assertEquals(Opcode.JMP, trampoline.opcode);
      assertEquals(5, trampoline.length);
      // The trampoline restarts at label 3, the rseq_cs store that precedes the start label.
      Instruction prepare = p.instructionAt(trampoline.target);
      assertTrue(prepare.text.startsWith("movq __rseq_offset(%rip)")
          || prepare.text.startsWith("movq $__rseq_cs_pop_cached"), prepare.text);
      assertTrue(prepare.address < start.address);
      from = commit.address;
    }
    // Variant (c) writes its signature as an instruction; the others as .byte/.long data.
    Instruction sig = p.instructionAt(read(p, p.address("__rseq_cs_pop_c") + 24, 8) - 7);
    assertEquals(Opcode.NOP, sig.opcode);
    assertEquals(Registers.RIP, sig.operand(0).base);
    assertEquals(0x53053053L, sig.operand(0).disp, "a numeric %rip displacement is kept as is");
    assertNull(p.instructionAt(read(p, p.address("__rseq_cs_pop_a") + 24, 8) - 7));

    // .reloc emits nothing: the pointer array holds exactly the two descriptor pointers.
    Section ptrs = section(p, "__rseq_cs_ptr_array");
    assertEquals(16, ptrs.bytes().length);
    assertEquals(p.address("__rseq_cs_pop_a"), read(p, ptrs.address(), 8));
    assertEquals(p.address("__rseq_cs_pop_b"), read(p, ptrs.address() + 8, 8));
    assertEquals(32, p.symbol("__rseq_cs_pop_a").orElseThrow().size());

    // GS-mode loads: %gs segment, no base, the size class scaled by 4.
    Instruction header = first(p, "movzwq %gs:(,%rsi,4), %rax", 0);
    Operand m = header.operand(0);
    assertEquals(Segment.GS, m.segment);
    assertEquals(Registers.NONE, m.base);
    assertEquals(Registers.RSI, m.index);
    assertEquals(4, m.scale);
    assertEquals(2, m.size);
    assertEquals(Opcode.MOVZX, header.opcode);
    assertEquals(8, header.size);

    // Era 3: the rseq_cs store takes the descriptor address as an immediate.
    Instruction store = first(p, "movq $__rseq_cs_pop_cached", 0);
    assertEquals(p.address("__rseq_cs_pop_cached"), store.operand(0).imm);
    assertEquals(Segment.FS, store.operand(1).segment);
    assertEquals(-96 + 8, store.operand(1).disp);
    Instruction btr = first(p, "btrq $63, %r10", store.address);
    assertEquals(Opcode.BTR, btr.opcode);
    assertEquals(63, btr.operand(0).imm);
    assertEquals(Condition.AE, p.instruction(btr.index + 1).condition, "jnc is jae");
  }

  @Test
  void librseqCounterAssemblesWithBssAndExitPoints() {
    AssembledProgram p = sample("librseq-counter.s");
    Section bss = section(p, ".bss");
    assertEquals(512, bss.bytes().length);
    assertEquals(64, bss.alignment());
    for (byte b : bss.bytes()) {
      assertEquals(0, b);
    }
    assertTrue(bss.writable() && !bss.executable());
    Symbol counters = p.symbol("counters").orElseThrow();
    assertEquals(bss.address(), counters.value());
    assertEquals(512, counters.size());

    Instruction add = first(p, "addq %rsi, (%rdi)", 0);
    assertEquals(Opcode.ADD, add.opcode);
    assertEquals(8, add.size);
    Instruction start = first(p, "cmpl %edx, %fs:RSEQ_CPU_ID_OFFSET(%rax)", 0);
    long cs = section(p, "__rseq_cs").address();
    long abort = checkDescriptor(p, cs, start, p.instruction(add.index + 1));
    assertArrayEquals(UD1_SIGNATURE, bytes(p, abort - 7, 7));

    Section exits = section(p, "__rseq_exit_point_array");
    assertEquals(start.address, read(p, exits.address(), 8));
    assertEquals(p.address(".Labort"), read(p, exits.address() + 8, 8));

    Instruction lea = first(p, "leaq counters(,%rdx,8)", 0);
    assertEquals(counters.value(), lea.operand(0).disp);
    assertEquals(Registers.NONE, lea.operand(0).base);
    Instruction call = first(p, "call percpu_add", 0);
    assertEquals(p.address("percpu_add"), call.target);
    Instruction retry = first(p, "jne 5b", call.address);
    assertEquals(2, retry.length);
    assertEquals(first(p, "movl %fs:RSEQ_CPU_ID_START_OFFSET(%rax)", 0).address, retry.target);

    Instruction mmCid = first(p, "cmpl %edx, %fs:RSEQ_MM_CID_OFFSET(%rax)", 0);
    assertEquals(24, mmCid.operand(1).disp);
    long abort2 = checkDescriptor(p, cs + 32, mmCid, p.instruction(mmCid.index + 3));
    assertArrayEquals(UD1_SIGNATURE, bytes(p, abort2 - 7, 7));
    assertFalse(p.symbol("rseq_offset").orElseThrow().section().isEmpty());
  }
}
