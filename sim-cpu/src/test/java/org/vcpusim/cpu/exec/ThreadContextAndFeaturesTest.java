package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.R15;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.Opcode;

/** Saving and restoring thread state; the CPU feature set as profiles spell it. */
class ThreadContextAndFeaturesTest {
  @Test
  void copyIsIndependentAndKeepsLazyFlags() {
    TestMachine m = new TestMachine();
    m.set(RAX, 5).set(RBX, 5).set(R15, -1L);
    m.ctx.setFsBase(0x1000);
    m.ctx.setGsBase(0x2000);
    m.execute(Opcode.CMP, 8, r64(RBX), r64(RAX)); // leaves a lazy SUB state
    ThreadContext saved = m.ctx.copy();
    assertNotSame(saved, m.ctx);
    assertTrue(saved.sameStateAs(m.ctx));
    assertTrue(saved.flags(Rflags.ZF | Rflags.PF));
    m.ctx.set(RAX, 6);
    m.ctx.setRflags(0);
    m.ctx.setGsBase(0);
    assertFalse(saved.sameStateAs(m.ctx));
    m.ctx.copyFrom(saved);
    assertTrue(saved.sameStateAs(m.ctx));
    assertEquals(5, m.ctx.get(RAX));
    assertEquals(0x2000, m.ctx.gsBase());
    assertEquals(Rflags.ZF | Rflags.PF | Rflags.FIXED, m.ctx.rflags());
    assertTrue(m.ctx.toString().contains("r15=0xffffffffffffffff"));
  }

  @Test
  void rflagsRoundTripKeepsOnlyStatusBits() {
    ThreadContext c = new ThreadContext();
    c.setRflags(-1L);
    assertEquals(Rflags.STATUS | Rflags.FIXED, c.rflags());
    assertThrows(IllegalArgumentException.class, () -> c.set(16, 1));
  }

  @Test
  void featuresParseAndPrint() {
    CpuFeatures f = CpuFeatures.parse(" FSGSBase, rdtscp ");
    assertTrue(f.has(CpuFeature.FSGSBASE));
    assertFalse(f.has(CpuFeature.RDPID));
    assertEquals("fsgsbase,rdtscp", f.toString());
    assertEquals(f, CpuFeatures.parse(f.toString()));
    assertEquals(CpuFeatures.NONE, CpuFeatures.parse(""));
    assertEquals(List.of(CpuFeature.values()), CpuFeatures.ALL.toList());
    assertEquals(CpuFeatures.of(CpuFeature.RDPID), CpuFeatures.NONE.with(CpuFeature.RDPID));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CpuFeatures.parse("fsgsbase,avx"));
    assertTrue(e.getMessage().contains("'avx'"), e.getMessage());
  }
}
