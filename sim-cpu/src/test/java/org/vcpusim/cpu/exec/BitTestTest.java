package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.mem;
import static org.vcpusim.cpu.exec.Ops.r16;
import static org.vcpusim.cpu.exec.Ops.r32;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.exec.TestMachine.DATA;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RSI;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.Opcode;

/** bt, bts, btr, btc on registers (offset modulo the width) and memory bit strings. */
class BitTestTest {
  private final TestMachine m = new TestMachine();

  @Test
  void registerOffsetsWrapAtTheWidth() {
    m.ctx.setRflags(Rflags.ZF | Rflags.SF);
    m.set(RAX, 1L << 63).set(RBX, 127);
    m.execute(Opcode.BT, 8, r64(RBX), r64(RAX));
    assertEquals(Rflags.CF | Rflags.ZF | Rflags.SF, m.flags(), "bit 127 mod 64 = 63; others kept");

    m.set(RAX, 0xFFFF_0000_0000_0002L).set(RBX, 33);
    m.execute(Opcode.BTS, 4, r32(RBX), r32(RAX));
    assertEquals(0x2, m.reg(RAX) & 0xF, "bit 33 mod 32 = 1 was set");
    assertEquals(0, m.reg(RAX) >>> 32, "32-bit write zero-extends");
    assertEquals(Rflags.CF, m.flags() & Rflags.CF);
  }

  @Test
  void btrOfTheCachedSlabBit() {
    // TCMalloc: btrq $63, %scratch ; jnc slow_path
    m.set(RAX, 0x8000_7F00_1234_0000L);
    m.execute(Opcode.BTR, 8, imm(63, 1), r64(RAX));
    assertEquals(0x7F00_1234_0000L, m.reg(RAX));
    assertEquals(Rflags.CF, m.flags() & Rflags.CF);
    m.execute(Opcode.BTR, 8, imm(63, 1), r64(RAX));
    assertEquals(0, m.flags() & Rflags.CF);
  }

  @Test
  void btcFlipsAndImmediateIsModuloTheWidth() {
    m.set(RAX, 0xFFFF);
    m.execute(Opcode.BTC, 2, imm(17, 1), r16(RAX));
    assertEquals(0xFFFD, m.reg(RAX), "17 mod 16 = 1");
  }

  @Test
  void memoryBitStringWithRegisterOffsetReachesBeyondTheOperand() {
    m.write(DATA + 0x100, 8, 0);
    m.write(DATA + 0x108, 8, 0);
    m.set(RSI, DATA + 0x100).set(RBX, 64 + 5);
    m.execute(Opcode.BTS, 8, r64(RBX), mem(RSI, 0, 8));
    assertEquals(1L << 5, m.read(DATA + 0x108, 8));
    assertEquals(DATA + 0x108, m.core.record().address[0]);

    m.write(DATA + 0xF8, 8, 1L << 63);
    m.set(RBX, -1);
    m.execute(Opcode.BT, 8, r64(RBX), mem(RSI, 0, 8));
    assertEquals(Rflags.CF, m.flags() & Rflags.CF, "bit -1 is bit 63 of the quadword below");
    assertEquals(DATA + 0xF8, m.core.record().address[0]);

    m.write(DATA + 0x100, 4, 0);
    m.set(RBX, 0x1_0000_0003L); // only the low 32 bits count for a 32-bit operand: offset 3
    m.execute(Opcode.BTS, 4, r32(RBX), mem(RSI, 0, 4));
    assertEquals(8, m.read(DATA + 0x100, 4));
  }

  @Test
  void memoryImmediateOffset() {
    m.write(DATA, 4, 0x10);
    m.set(RSI, DATA);
    m.execute(Opcode.BTR, 4, imm(36, 1), mem(RSI, 0, 4));
    assertEquals(0, m.read(DATA, 4), "36 mod 32 = 4");
    assertEquals(DATA, m.core.record().address[0]);
  }
}
