package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.r16;
import static org.vcpusim.cpu.exec.Ops.r32;
import static org.vcpusim.cpu.exec.Ops.r64;
import static org.vcpusim.cpu.exec.Ops.r8;
import static org.vcpusim.cpu.exec.Ops.reg;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RCX;

import org.junit.jupiter.api.Test;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Opcode;

/** Exact flags of each arithmetic family on hand-picked cases (Intel SDM vol. 2, per instruction). */
class FlagsTest {
  private static final long CF = Rflags.CF;
  private static final long PF = Rflags.PF;
  private static final long ZF = Rflags.ZF;
  private static final long SF = Rflags.SF;
  private static final long OF = Rflags.OF;

  private final TestMachine m = new TestMachine();

  private String flags() {
    return Rflags.describe(m.flags());
  }

  private static String f(long bits) {
    return Rflags.describe(bits);
  }

  @Test
  void addSetsCarryOverflowSignZeroParity() {
    m.set(RAX, 0x7F).set(RBX, 1);
    m.execute(Opcode.ADD, 1, r8(RBX), r8(RAX));
    assertEquals(0x80, m.reg(RAX));
    assertEquals(f(OF | SF), flags());

    m.set(RAX, 0xFF).set(RBX, 1);
    m.execute(Opcode.ADD, 1, r8(RBX), r8(RAX));
    assertEquals(0, m.reg(RAX));
    assertEquals(f(CF | ZF | PF), flags());

    m.set(RAX, -1L).set(RBX, 1);
    m.execute(Opcode.ADD, 8, r64(RBX), r64(RAX));
    assertEquals(f(CF | ZF | PF), flags());

    m.set(RAX, Long.MAX_VALUE).set(RBX, 1);
    m.execute(Opcode.ADD, 8, r64(RBX), r64(RAX));
    assertEquals(f(OF | SF | PF), flags());
  }

  @Test
  void adcAndSbbUseTheCarry() {
    m.ctx.setRflags(CF);
    m.set(RAX, 0xFFFFFFFFL).set(RBX, 0);
    m.execute(Opcode.ADC, 4, r32(RBX), r32(RAX));
    assertEquals(0, m.reg(RAX));
    assertEquals(f(CF | ZF | PF), flags());

    m.ctx.setRflags(CF);
    m.set(RAX, 0).set(RBX, 0);
    m.execute(Opcode.SBB, 4, r32(RBX), r32(RAX));
    assertEquals(0xFFFFFFFFL, m.reg(RAX));
    assertEquals(f(CF | SF | PF), flags());

    m.ctx.setRflags(0);
    m.set(RAX, 5).set(RBX, 5);
    m.execute(Opcode.SBB, 8, r64(RBX), r64(RAX));
    assertEquals(f(ZF | PF), flags());
  }

  @Test
  void subAndCmp() {
    m.set(RAX, 0).set(RBX, 1);
    m.execute(Opcode.SUB, 2, r16(RBX), r16(RAX));
    assertEquals(0xFFFF, m.reg(RAX));
    assertEquals(f(CF | SF | PF), flags());

    m.set(RAX, 0x8000).set(RBX, 1);
    m.execute(Opcode.CMP, 2, r16(RBX), r16(RAX));
    assertEquals(0x8000, m.reg(RAX), "cmp writes nothing");
    assertEquals(f(OF | PF), flags());
  }

  @Test
  void incAndDecKeepCarry() {
    m.ctx.setRflags(CF);
    m.set(RAX, 0x7FFFFFFF);
    m.execute(Opcode.INC, 4, r32(RAX));
    assertEquals(0x80000000L, m.reg(RAX));
    assertEquals(f(CF | OF | SF | PF), flags());

    m.ctx.setRflags(0);
    m.set(RAX, 0);
    m.execute(Opcode.DEC, 8, r64(RAX));
    assertEquals(-1L, m.reg(RAX));
    assertEquals(f(SF | PF), flags(), "no borrow out of dec: CF stays clear");

    m.ctx.setRflags(CF);
    m.set(RAX, 1);
    m.execute(Opcode.DEC, 1, r8(RAX));
    assertEquals(f(CF | ZF | PF), flags());
  }

  @Test
  void neg() {
    m.set(RAX, 0);
    m.execute(Opcode.NEG, 8, r64(RAX));
    assertEquals(f(ZF | PF), flags(), "neg 0: CF clear");

    m.set(RAX, 0x80);
    m.execute(Opcode.NEG, 1, r8(RAX));
    assertEquals(0x80, m.reg(RAX));
    assertEquals(f(CF | OF | SF), flags());

    m.set(RAX, 1);
    m.execute(Opcode.NEG, 4, r32(RAX));
    assertEquals(0xFFFFFFFFL, m.reg(RAX));
    assertEquals(f(CF | SF | PF), flags());
  }

  @Test
  void logicClearsCarryAndOverflowAndNotTouchesNothing() {
    m.ctx.setRflags(CF | OF);
    m.set(RAX, 0xF0).set(RBX, 0x0F);
    m.execute(Opcode.AND, 8, r64(RBX), r64(RAX));
    assertEquals(f(ZF | PF), flags());

    m.ctx.setRflags(CF | OF);
    m.set(RAX, 0x80).set(RBX, 0x01);
    m.execute(Opcode.OR, 1, r8(RBX), r8(RAX));
    assertEquals(f(SF | PF), flags(), "0x81 has two bits set: even parity");

    m.ctx.setRflags(CF | OF | ZF);
    m.set(RAX, 0x1234);
    m.execute(Opcode.NOT, 2, r16(RAX));
    assertEquals(0xEDCB, m.reg(RAX));
    assertEquals(f(CF | OF | ZF), flags(), "not changes no flag");

    m.ctx.setRflags(CF);
    m.set(RAX, 3);
    m.execute(Opcode.TEST, 8, imm(4), r64(RAX));
    assertEquals(f(ZF | PF), flags());
  }

  @Test
  void shiftCountZeroLeavesFlagsAndOverflowForCountOne() {
    m.ctx.setRflags(CF | ZF | OF);
    m.set(RAX, 0x1234).set(RCX, 0x40);
    m.execute(Opcode.SHL, 4, r8(RCX), r32(RAX));
    assertEquals(0x1234, m.reg(RAX), "count masked to 0 for 32-bit");
    assertEquals(f(CF | ZF | OF), flags());

    m.set(RAX, 0x40);
    m.execute(Opcode.SHL, 1, r8(RAX));
    assertEquals(0x80, m.reg(RAX));
    assertEquals(f(OF | SF), flags(), "shl 1: OF = MSB(result) xor CF");

    m.set(RAX, 0x81);
    m.execute(Opcode.SHR, 1, imm(1, 1), r8(RAX));
    assertEquals(0x40, m.reg(RAX));
    assertEquals(f(CF | OF), flags(), "shr 1: OF = MSB of the operand");

    m.set(RAX, 0x81);
    m.execute(Opcode.SAR, 1, imm(1, 1), r8(RAX));
    assertEquals(0xC0, m.reg(RAX));
    assertEquals(f(CF | SF | PF), flags(), "sar 1: OF = 0");
  }

  @Test
  void shiftCountAtOrBeyondWidth() {
    m.set(RAX, 0x01);
    m.execute(Opcode.SHL, 1, imm(8, 1), r8(RAX));
    assertEquals(0, m.reg(RAX));
    assertEquals(f(CF | OF | ZF | PF), flags(), "last bit out is bit 0; OF = 0 xor CF");

    m.set(RAX, 0xFF);
    m.execute(Opcode.SHL, 1, imm(9, 1), r8(RAX));
    assertEquals(f(ZF | PF), flags());

    m.set(RAX, 0x80);
    m.execute(Opcode.SAR, 1, imm(20, 1), r8(RAX));
    assertEquals(0xFF, m.reg(RAX));
    assertEquals(f(CF | SF | PF), flags());
  }

  @Test
  void rotatesChangeOnlyCarryAndOverflow() {
    m.ctx.setRflags(ZF | SF | PF);
    m.set(RAX, 0x80);
    m.execute(Opcode.ROL, 1, imm(1, 1), r8(RAX));
    assertEquals(0x01, m.reg(RAX));
    assertEquals(f(CF | OF | ZF | SF | PF), flags());

    m.ctx.setRflags(0);
    m.set(RAX, 0x01);
    m.execute(Opcode.ROR, 8, imm(1, 1), r64(RAX));
    assertEquals(Long.MIN_VALUE, m.reg(RAX));
    assertEquals(f(CF | OF), flags());

    m.ctx.setRflags(0);
    m.set(RAX, 0x81);
    m.execute(Opcode.ROL, 1, imm(8, 1), r8(RAX));
    assertEquals(0x81, m.reg(RAX), "rotate by the width is a no-op on the value");
    assertEquals(f(CF), flags(), "but CF = LSB and OF = CF xor MSB");
  }

  @Test
  void multiplyOverflowFlags() {
    m.set(RAX, 0x4000).set(RBX, 2);
    m.execute(Opcode.IMUL, 2, r16(RBX), r16(RAX));
    assertEquals(0x8000, m.reg(RAX));
    assertEquals(f(CF | OF | SF | PF), flags());

    m.set(RAX, 0x10).set(RBX, 0x10);
    m.execute(Opcode.MUL, 1, r8(RBX));
    assertEquals(0x100, m.reg(RAX));
    assertEquals(f(CF | OF | ZF | PF), flags(), "SF ZF PF of the low byte (documented choice)");

    m.set(RAX, -3).set(RBX, 5);
    m.execute(Opcode.IMUL, 8, imm(7), r64(RBX), r64(RAX));
    assertEquals(35, m.reg(RAX));
    assertEquals(0, m.flags() & (CF | OF));
  }

  /** Every condition code against every combination of the five status flags. */
  @Test
  void conditionsFollowTheirDefinitions() {
    for (int combo = 0; combo < 32; combo++) {
      boolean cf = (combo & 1) != 0;
      boolean pf = (combo & 2) != 0;
      boolean zf = (combo & 4) != 0;
      boolean sf = (combo & 8) != 0;
      boolean of = (combo & 16) != 0;
      long bits = (cf ? CF : 0) | (pf ? PF : 0) | (zf ? ZF : 0) | (sf ? SF : 0) | (of ? OF : 0);
      for (Condition c : Condition.values()) {
        boolean expected;
        switch (c) {
          case O: expected = of; break;
          case NO: expected = !of; break;
          case B: expected = cf; break;
          case AE: expected = !cf; break;
          case E: expected = zf; break;
          case NE: expected = !zf; break;
          case BE: expected = cf || zf; break;
          case A: expected = !cf && !zf; break;
          case S: expected = sf; break;
          case NS: expected = !sf; break;
          case P: expected = pf; break;
          case NP: expected = !pf; break;
          case L: expected = sf != of; break;
          case GE: expected = sf == of; break;
          case LE: expected = zf || sf != of; break;
          default: expected = !zf && sf == of; break;
        }
        m.load(new ProgramBuilder().cc(Opcode.SETCC, c, 1, reg(RBX, 1)));
        m.ctx.setRflags(bits);
        m.set(RBX, 0x5500);
        m.step();
        assertEquals(0x5500 | (expected ? 1 : 0), m.reg(RBX), c + " with " + f(bits));
      }
    }
  }

  /** After a compare the lazy fast path must agree with the signed and unsigned orders. */
  @Test
  void conditionsAfterCompare() {
    long[] values = {0, 1, -1, 0x7F, 0x80, 0xFF, Long.MIN_VALUE, Long.MAX_VALUE, 0x7FFFFFFF,
        0x80000000L, 42};
    for (int sizeLog = 0; sizeLog < 4; sizeLog++) {
      int size = 1 << sizeLog;
      int shift = 64 - 8 * size;
      for (long x : values) {
        for (long y : values) {
          long sx = x << shift >> shift;
          long sy = y << shift >> shift;
          long ux = sx & (size == 8 ? -1L : (1L << (8 * size)) - 1);
          long uy = sy & (size == 8 ? -1L : (1L << (8 * size)) - 1);
          for (Condition c : new Condition[] {Condition.E, Condition.NE, Condition.B, Condition.AE,
              Condition.BE, Condition.A, Condition.L, Condition.GE, Condition.LE, Condition.G,
              Condition.S, Condition.O}) {
            boolean expected;
            switch (c) {
              case E: expected = ux == uy; break;
              case NE: expected = ux != uy; break;
              case B: expected = Long.compareUnsigned(ux, uy) < 0; break;
              case AE: expected = Long.compareUnsigned(ux, uy) >= 0; break;
              case BE: expected = Long.compareUnsigned(ux, uy) <= 0; break;
              case A: expected = Long.compareUnsigned(ux, uy) > 0; break;
              case L: expected = sx < sy; break;
              case GE: expected = sx >= sy; break;
              case LE: expected = sx <= sy; break;
              case G: expected = sx > sy; break;
              case S: expected = (((sx - sy) << shift) < 0); break;
              default: expected = (Reference.sub(x, y, false, 8 * size).flags() & OF) != 0;
            }
            m.load(new ProgramBuilder()
                .op(Opcode.CMP, size, reg(RBX, size), reg(RAX, size))
                .cc(Opcode.SETCC, c, 1, reg(RCX, 1)));
            m.set(RAX, x).set(RBX, y).set(RCX, 0);
            m.run(2);
            assertEquals(expected ? 1 : 0, m.reg(RCX),
                () -> "cmp " + Long.toHexString(y) + ", " + Long.toHexString(x) + " size " + size
                    + " set" + c.suffix());
          }
        }
      }
    }
  }
}
