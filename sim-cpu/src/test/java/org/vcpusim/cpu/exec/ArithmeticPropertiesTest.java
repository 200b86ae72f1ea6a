package org.vcpusim.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.vcpusim.cpu.exec.Ops.high8;
import static org.vcpusim.cpu.exec.Ops.imm;
import static org.vcpusim.cpu.exec.Ops.mem;
import static org.vcpusim.cpu.exec.Ops.reg;
import static org.vcpusim.cpu.isa.Registers.RAX;
import static org.vcpusim.cpu.isa.Registers.RBX;
import static org.vcpusim.cpu.isa.Registers.RCX;
import static org.vcpusim.cpu.isa.Registers.RDI;
import static org.vcpusim.cpu.isa.Registers.RDX;
import static org.vcpusim.cpu.isa.Registers.RSI;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.vcpusim.cpu.isa.Opcode;
import org.vcpusim.cpu.isa.Operand;

/**
 * Properties: for random operands (uniform 64-bit values mixed with boundary values), every size
 * and every operand form (register, high-byte register, immediate, memory destination, memory
 * source, unaligned and page-crossing memory), the core's result, the untouched bits of the
 * destination register and the flags CF PF ZF SF OF equal those of {@link Reference}, an
 * independent BigInteger model of the SDM's definitions.
 */
class ArithmeticPropertiesTest {
  private static final int EXAMPLES = 1000;
  private static final long STATUS = Rflags.CF | Rflags.PF | Rflags.ZF | Rflags.SF | Rflags.OF;

  private final TestMachine m = new TestMachine();

  /** One example: two operand values, a size, and random bits choosing form, flags and offset. */
  record Case(long a, long b, int sizeLog, int aux) {
    int size() {
      return 1 << sizeLog;
    }

    int bits() {
      return 8 << sizeLog;
    }

    long initialFlags() {
      long f = 0;
      f |= (aux & 1) != 0 ? Rflags.CF : 0;
      f |= (aux & 2) != 0 ? Rflags.PF : 0;
      f |= (aux & 4) != 0 ? Rflags.ZF : 0;
      f |= (aux & 8) != 0 ? Rflags.SF : 0;
      f |= (aux & 16) != 0 ? Rflags.OF : 0;
      return f;
    }

    int form(int forms) {
      return (aux >>> 5) % forms;
    }

    boolean high() {
      return sizeLog == 0 && (aux & (1 << 12)) != 0;
    }

    /** Offset into the data area: often unaligned, sometimes straddling the page at 0x1000. */
    long memOffset() {
      return (aux >>> 13) % 2 == 0 ? 0x1000 - ((aux >>> 14) & 7) : (aux >>> 14) & 0x1FF;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "a=%#x b=%#x size=%d aux=%#x", a, b, size(), aux);
    }
  }

  static Gen<Long> values() {
    Gen<Long> edges = arbitrary().pick(0L, 1L, -1L, 2L, 0x7FL, 0x80L, 0xFFL, 0x100L, 0x7FFFL,
        0x8000L, 0xFFFFL, 0x10000L, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, 0x100000000L,
        Long.MAX_VALUE, Long.MIN_VALUE, 0x8000000000000001L, 0xFFFFFFFF7FFFFFFFL, 0x3FL, 0x40L,
        0x1FL, 0x20L, 0x21L, 0x41L, 0xFFFFFFFFFFFFFF80L, 0xFFFFFFFFFFFF8000L);
    return longs().all().mix(edges, 40);
  }

  static Gen<Case> cases() {
    return values().zip(values(), integers().between(0, 3), integers().between(0, 1 << 22),
        Case::new);
  }

  // ------------------------------------------------------------------ register views

  static long view(long full, int size, boolean high) {
    if (high) {
      return (full >>> 8) & 0xFF;
    }
    return size == 8 ? full : full & ((1L << (8 * size)) - 1);
  }

  static long merge(long full, int size, boolean high, long value) {
    switch (size) {
      case 8:
        return value;
      case 4:
        return value & 0xFFFFFFFFL;
      case 2:
        return (full & ~0xFFFFL) | (value & 0xFFFF);
      default:
        return high ? (full & ~0xFF00L) | ((value & 0xFF) << 8) : (full & ~0xFFL) | (value & 0xFF);
    }
  }

  private static Operand regView(int reg, int size, boolean high) {
    return high ? high8(reg) : reg(reg, size);
  }

  private static long mask(int size) {
    return size == 8 ? -1L : (1L << (8 * size)) - 1;
  }

  // ------------------------------------------------------------------ binary ALU operations

  interface BinaryReference {
    Reference.Result apply(long a, long b, boolean carryIn, int bits);
  }

  /**
   * Runs {@code opcode src, dst} in one of four forms and checks it against {@code ref} applied to
   * (dst view, src view).
   */
  private void checkBinary(Opcode opcode, boolean writes, BinaryReference ref, Case c) {
    int size = c.size();
    int form = c.form(4);
    boolean high = c.high() && form == 0;
    long initial = c.initialFlags();
    m.ctx.setRflags(initial);
    m.set(RAX, c.a()).set(RBX, c.b());
    long a;
    long b;
    long address = TestMachine.DATA + c.memOffset();
    Operand src;
    Operand dst;
    switch (form) {
      case 0: // register, register (high bytes %bh, %ah sometimes)
        src = regView(RBX, size, high);
        dst = regView(RAX, size, high);
        a = view(c.a(), size, high);
        b = view(c.b(), size, high);
        break;
      case 1: { // immediate (imm8/16/32 sign-extended for 64-bit operations)
        long immediate = size == 8 ? (long) (int) c.b() : c.b() & mask(size);
        src = imm(immediate, Math.min(size, 4));
        dst = reg(RAX, size);
        a = view(c.a(), size, false);
        b = immediate & mask(size);
        break;
      }
      case 2: // register source, memory destination
        m.set(RDI, address);
        m.write(address, size, c.a());
        src = reg(RBX, size);
        dst = mem(RDI, 0, size);
        a = c.a() & mask(size);
        b = view(c.b(), size, false);
        break;
      default: // memory source, register destination
        m.set(RSI, address);
        m.write(address, size, c.b());
        src = mem(RSI, 0, size);
        dst = reg(RAX, size);
        a = view(c.a(), size, false);
        b = c.b() & mask(size);
        break;
    }
    assertEquals(CoreStatus.RETIRED, m.execute(opcode, size, src, dst), () -> m.core.trap() + "");
    Reference.Result expected = ref.apply(a, b, (initial & Rflags.CF) != 0, c.bits());
    long expectedValue = writes ? expected.value() : a;
    if (form == 2) {
      assertEquals(expectedValue, m.read(address, size), "memory result");
    } else {
      // cmp and test leave the destination register exactly as it was (no zero-extension).
      long expectedRegister = writes ? merge(c.a(), size, high, expectedValue) : c.a();
      assertEquals(expectedRegister, m.reg(RAX), "register result");
    }
    assertEquals(Rflags.describe(expected.flags()), Rflags.describe(m.flags() & STATUS), "flags");
  }

  private void binaryProperty(Opcode opcode, boolean writes, BinaryReference ref, long seed) {
    qt().withFixedSeed(seed).withExamples(EXAMPLES).forAll(cases())
        .checkAssert(c -> checkBinary(opcode, writes, ref, c));
  }

  @Test
  void add() {
    binaryProperty(Opcode.ADD, true, (a, b, cin, n) -> Reference.add(a, b, false, n), 11);
  }

  @Test
  void adc() {
    binaryProperty(Opcode.ADC, true, (a, b, cin, n) -> Reference.add(a, b, cin, n), 12);
  }

  @Test
  void sub() {
    binaryProperty(Opcode.SUB, true, (a, b, cin, n) -> Reference.sub(a, b, false, n), 13);
  }

  @Test
  void sbb() {
    binaryProperty(Opcode.SBB, true, (a, b, cin, n) -> Reference.sub(a, b, cin, n), 14);
  }

  @Test
  void cmp() {
    binaryProperty(Opcode.CMP, false, (a, b, cin, n) -> Reference.sub(a, b, false, n), 15);
  }

  @Test
  void and() {
    binaryProperty(Opcode.AND, true, (a, b, cin, n) -> Reference.logic('&', a, b, n), 16);
  }

  @Test
  void or() {
    binaryProperty(Opcode.OR, true, (a, b, cin, n) -> Reference.logic('|', a, b, n), 17);
  }

  @Test
  void xor() {
    binaryProperty(Opcode.XOR, true, (a, b, cin, n) -> Reference.logic('^', a, b, n), 18);
  }

  @Test
  void test() {
    binaryProperty(Opcode.TEST, false, (a, b, cin, n) -> Reference.logic('&', a, b, n), 19);
  }

  // ------------------------------------------------------------------ unary operations

  interface UnaryReference {
    Reference.Result apply(long a, boolean oldCf, int bits);
  }

  private void checkUnary(Opcode opcode, UnaryReference ref, Case c) {
    int size = c.size();
    boolean memory = c.form(2) == 1;
    boolean high = c.high() && !memory;
    long initial = c.initialFlags();
    m.ctx.setRflags(initial);
    m.set(RAX, c.a());
    long address = TestMachine.DATA + c.memOffset();
    Operand dst;
    long a;
    if (memory) {
      m.set(RDI, address);
      m.write(address, size, c.a());
      dst = mem(RDI, 0, size);
      a = c.a() & mask(size);
    } else {
      dst = regView(RAX, size, high);
      a = view(c.a(), size, high);
    }
    assertEquals(CoreStatus.RETIRED, m.execute(opcode, size, dst), () -> m.core.trap() + "");
    Reference.Result expected = ref.apply(a, (initial & Rflags.CF) != 0, c.bits());
    if (memory) {
      assertEquals(expected.value(), m.read(address, size), "memory result");
    } else {
      assertEquals(merge(c.a(), size, high, expected.value()), m.reg(RAX), "register result");
    }
    assertEquals(Rflags.describe(expected.flags()), Rflags.describe(m.flags() & STATUS), "flags");
  }

  @Test
  void neg() {
    qt().withFixedSeed(21).withExamples(EXAMPLES).forAll(cases())
        .checkAssert(c -> checkUnary(Opcode.NEG, (a, cf, n) -> Reference.neg(a, n), c));
  }

  @Test
  void inc() {
    qt().withFixedSeed(22).withExamples(EXAMPLES).forAll(cases())
        .checkAssert(c -> checkUnary(Opcode.INC, (a, cf, n) -> Reference.incDec(a, 1, cf, n), c));
  }

  @Test
  void dec() {
    qt().withFixedSeed(23).withExamples(EXAMPLES).forAll(cases())
        .checkAssert(c -> checkUnary(Opcode.DEC, (a, cf, n) -> Reference.incDec(a, -1, cf, n), c));
  }

  @Test
  void not() {
    qt().withFixedSeed(24).withExamples(EXAMPLES).forAll(cases())
        .checkAssert(c -> checkUnary(Opcode.NOT, (a, cf, n) -> new Reference.Result(
            ~a & mask(n / 8), c.initialFlags()), c));
  }

  // ------------------------------------------------------------------ shifts and rotates

  private void checkShift(Opcode opcode, String name, Case c) {
    int size = c.size();
    int form = c.form(4); // bit 0: count in %cl or immediate; bit 1: register or memory
    boolean fromCl = (form & 1) == 0;
    boolean memory = (form & 2) != 0;
    boolean high = c.high() && !memory;
    long initial = c.initialFlags();
    m.ctx.setRflags(initial);
    m.set(RAX, c.a()).set(RCX, c.b());
    long countRaw = c.b() & 0xFF;
    Operand count = fromCl ? reg(RCX, 1) : imm(countRaw, 1);
    long address = TestMachine.DATA + c.memOffset();
    Operand dst;
    long a;
    if (memory) {
      m.set(RDI, address);
      m.write(address, size, c.a());
      dst = mem(RDI, 0, size);
      a = c.a() & mask(size);
    } else {
      dst = regView(RAX, size, high);
      a = view(c.a(), size, high);
    }
    assertEquals(CoreStatus.RETIRED, m.execute(opcode, size, count, dst));
    Reference.Result expected = name.startsWith("ro")
        ? Reference.rotate(name, a, countRaw, initial, c.bits())
        : Reference.shift(name, a, countRaw, initial, c.bits());
    if (memory) {
      assertEquals(expected.value(), m.read(address, size), "memory result");
    } else {
      assertEquals(merge(c.a(), size, high, expected.value()), m.reg(RAX), "register result");
    }
    assertEquals(Rflags.describe(expected.flags()), Rflags.describe(m.flags() & STATUS), "flags");
  }

  /** Shift counts: mostly small, sometimes at or past the operand width, sometimes huge. */
  static Gen<Case> shiftCases() {
    Gen<Long> counts = integers().between(0, 70).map(Integer::longValue).mix(values(), 30);
    return values().zip(counts, integers().between(0, 3), integers().between(0, 1 << 22),
        Case::new);
  }

  @Test
  void shl() {
    qt().withFixedSeed(31).withExamples(EXAMPLES).forAll(shiftCases())
        .checkAssert(c -> checkShift(Opcode.SHL, "shl", c));
  }

  @Test
  void shr() {
    qt().withFixedSeed(32).withExamples(EXAMPLES).forAll(shiftCases())
        .checkAssert(c -> checkShift(Opcode.SHR, "shr", c));
  }

  @Test
  void sar() {
    qt().withFixedSeed(33).withExamples(EXAMPLES).forAll(shiftCases())
        .checkAssert(c -> checkShift(Opcode.SAR, "sar", c));
  }

  @Test
  void rol() {
    qt().withFixedSeed(34).withExamples(EXAMPLES).forAll(shiftCases())
        .checkAssert(c -> checkShift(Opcode.ROL, "rol", c));
  }

  @Test
  void ror() {
    qt().withFixedSeed(35).withExamples(EXAMPLES).forAll(shiftCases())
        .checkAssert(c -> checkShift(Opcode.ROR, "ror", c));
  }

  // ------------------------------------------------------------------ multiply and divide

  /** Two-operand (register and memory source) and three-operand IMUL, 16/32/64-bit. */
  @Test
  void imul() {
    qt().withFixedSeed(41).withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
      int size = c.sizeLog() == 0 ? 2 : c.size();
      int bits = 8 * size;
      int form = c.form(3);
      m.ctx.setRflags(c.initialFlags());
      m.set(RAX, c.a()).set(RBX, c.b());
      long address = TestMachine.DATA + c.memOffset();
      long a;
      long b;
      CoreStatus status;
      if (form == 0) {
        a = view(c.a(), size, false);
        b = view(c.b(), size, false);
        status = m.execute(Opcode.IMUL, size, reg(RBX, size), reg(RAX, size));
      } else if (form == 1) {
        m.set(RSI, address);
        m.write(address, size, c.b());
        a = view(c.a(), size, false);
        b = c.b() & mask(size);
        status = m.execute(Opcode.IMUL, size, mem(RSI, 0, size), reg(RAX, size));
      } else {
        long immediate = size == 8 ? (long) (int) c.a() : c.a() & mask(size);
        a = view(c.b(), size, false);
        b = immediate & mask(size);
        status = m.execute(Opcode.IMUL, size, imm(immediate, Math.min(size, 4)),
            reg(RBX, size), reg(RAX, size));
      }
      assertEquals(CoreStatus.RETIRED, status);
      Reference.Result expected = Reference.imul(a, b, bits);
      assertEquals(merge(c.a(), size, false, expected.value()), m.reg(RAX), "product");
      assertEquals(Rflags.describe(expected.flags()), Rflags.describe(m.flags() & STATUS), "flags");
    });
  }

  /** One-operand MUL and IMUL: RDX:RAX (AX for bytes) = RAX * src; CF = OF = high part needed. */
  @Test
  void wideningMultiply() {
    qt().withFixedSeed(42).withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
      boolean signed = (c.aux() & (1 << 21)) != 0;
      int size = c.size();
      int bits = c.bits();
      long rdx = c.a() * 31 + c.b();
      m.set(RAX, c.a()).set(RBX, c.b()).set(RDX, rdx);
      assertEquals(CoreStatus.RETIRED,
          m.execute(signed ? Opcode.IMUL : Opcode.MUL, size, reg(RBX, size)));
      long[] hl = Reference.widening(c.a(), c.b(), signed, bits);
      boolean overflow = signed
          ? Reference.signed(hl[1], bits).signum() < 0 ? hl[0] != mask(size) : hl[0] != 0
          : hl[0] != 0;
      if (size == 1) {
        assertEquals((c.a() & ~0xFFFFL) | (hl[0] << 8) | hl[1], m.reg(RAX), "AX");
        assertEquals(rdx, m.reg(RDX), "RDX untouched");
      } else {
        assertEquals(merge(c.a(), size, false, hl[1]), m.reg(RAX), "low");
        assertEquals(merge(rdx, size, false, hl[0]), m.reg(RDX), "high");
      }
      assertEquals(overflow, (m.flags() & Rflags.CF) != 0, "CF");
      assertEquals(overflow, (m.flags() & Rflags.OF) != 0, "OF");
    });
  }

  /** DIV and IDIV of RDX:RAX (AX for bytes); #DE with no effect when the quotient does not fit. */
  @Test
  void divide() {
    qt().withFixedSeed(43).withExamples(EXAMPLES).forAll(cases()).checkAssert(c -> {
      boolean signed = (c.aux() & (1 << 21)) != 0;
      int size = c.size();
      int bits = c.bits();
      // Keep the high half small often, so that many quotients fit.
      long high = (c.aux() & (1 << 20)) != 0 ? c.a() >> (bits / 2 + 3) : c.a() * 7;
      long low = c.a();
      long divisor = c.b();
      long rax = size == 1 ? (c.b() & ~0xFFFFL) | ((high & 0xFF) << 8) | (low & 0xFF) : low;
      long rdx = size == 1 ? 0x1234 : high;
      m.set(RAX, rax).set(RDX, rdx).set(RBX, divisor);
      long flagsBefore = c.initialFlags();
      m.ctx.setRflags(flagsBefore);
      CoreStatus status = m.execute(signed ? Opcode.IDIV : Opcode.DIV, size, reg(RBX, size));
      long[] qr = Reference.divide(high, low, divisor, signed, bits);
      if (qr == null) {
        assertEquals(CoreStatus.FAULT, status);
        assertEquals(Trap.Kind.DIVIDE_ERROR, m.core.trap().kind());
        assertEquals(rax, m.reg(RAX));
        assertEquals(rdx, m.reg(RDX));
        assertEquals(ProgramBuilder.TEXT, m.ctx.rip());
      } else {
        assertEquals(CoreStatus.RETIRED, status);
        if (size == 1) {
          assertEquals((rax & ~0xFFFFL) | (qr[1] << 8) | qr[0], m.reg(RAX), "AH:AL");
        } else {
          assertEquals(merge(rax, size, false, qr[0]), m.reg(RAX), "quotient");
          assertEquals(merge(rdx, size, false, qr[1]), m.reg(RDX), "remainder");
        }
      }
      assertEquals(flagsBefore, m.flags() & STATUS, "flags unchanged");
    });
  }
}
