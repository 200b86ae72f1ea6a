package org.vcpusim.cpu.asm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vcpusim.cpu.isa.Condition;
import org.vcpusim.cpu.isa.Opcode;

/**
 * One AT&amp;T mnemonic spelling of the supported subset, e.g. {@code addq}, {@code movzbl},
 * {@code cmovnel}, {@code jz}: the operation, its encoding family, the size suffix written (0 when
 * none) and the family-specific encoding constants.
 *
 * <p>Spellings follow gas (binutils {@code opcodes/i386-opc.tbl}): every sized operation takes the
 * suffixes {@code b w l q} its operand sizes allow; conditions take every alias of {@link
 * Condition}; {@code sal} is {@code shl}; {@code callq jmpq retq pushq popq} are the 64-bit forms;
 * {@code cdqe cwde cdq cqo} are accepted as the Intel names of {@code cltq cwtl cltd cqto}.
 */
final class Mnemonic {
  /** How an operation is encoded and which operand shapes it accepts. */
  enum Family {
    ALU,
    TEST,
    INC_DEC,
    GROUP3,
    IMUL,
    SHIFT,
    BIT_TEST,
    MOV,
    MOVABS,
    MOV_EXTEND,
    LEA,
    XCHG,
    CMPXCHG_XADD,
    PUSH,
    POP,
    CALL,
    JMP,
    JCC,
    RET,
    SETCC,
    CMOV,
    FIXED,
    NOP,
    PREFETCH,
    SEGMENT_BASE,
    RDPID,
    UD1
  }

  final String spelling;
  final Family family;
  final Opcode opcode;
  final Condition condition;
  /** Size from the suffix (1, 2, 4, 8) or 0 when none was written. */
  final int suffixSize;
  /** Bit mask of allowed operation sizes: bit {@code s} set when size {@code s} is allowed. */
  final int allowedSizes;
  /** ModRM reg-field extension ({@code /digit}) or ALU operation number. */
  final int digit;
  /** Second opcode constant of the family (bit-test register form, cmpxchg/xadd base, prefetch map). */
  final int opcodeByte;
  /** MOV_EXTEND: source and destination sizes fixed by the spelling, 0 when taken from registers. */
  final int sourceSize;
  final int destinationSize;
  /** FIXED: the encoding and the {@link org.vcpusim.cpu.isa.Instruction#size}. */
  final int[] fixedBytes;
  final int fixedSize;

  private Mnemonic(String spelling, Family family, Opcode opcode, Condition condition,
      int suffixSize, int allowedSizes, int digit, int opcodeByte, int sourceSize,
      int destinationSize, int[] fixedBytes, int fixedSize) {
    this.spelling = spelling;
    this.family = family;
    this.opcode = opcode;
    this.condition = condition;
    this.suffixSize = suffixSize;
    this.allowedSizes = allowedSizes;
    this.digit = digit;
    this.opcodeByte = opcodeByte;
    this.sourceSize = sourceSize;
    this.destinationSize = destinationSize;
    this.fixedBytes = fixedBytes;
    this.fixedSize = fixedSize;
  }

  boolean allows(int size) {
    return (allowedSizes & (1 << size)) != 0;
  }

  @Override
  public String toString() {
    return spelling;
  }

  private static final int B = 1 << 1;
  private static final int W = 1 << 2;
  private static final int L = 1 << 4;
  private static final int Q = 1 << 8;
  private static final int BWLQ = B | W | L | Q;
  private static final int WLQ = W | L | Q;

  private static final Map<String, Mnemonic> TABLE = new HashMap<>();

  /** The mnemonic spelled {@code name} (any case), or null when it is not in the subset. */
  static Mnemonic lookup(String name) {
    return TABLE.get(name.toLowerCase(Locale.ROOT));
  }

  private static void put(Mnemonic m) {
    Mnemonic old = TABLE.putIfAbsent(m.spelling, m);
    if (old != null) {
      throw new IllegalStateException("ambiguous mnemonic " + m.spelling);
    }
  }

  /** The base spelling plus one entry per allowed suffix letter. */
  private static void sized(String base, Family family, Opcode op, Condition cond, int allowed,
      int digit, int opcodeByte) {
    put(new Mnemonic(base, family, op, cond, 0, allowed, digit, opcodeByte, 0, 0, null, 0));
    String letters = "bwlq";
    int[] sizes = {1, 2, 4, 8};
    for (int i = 0; i < 4; i++) {
      if ((allowed & (1 << sizes[i])) != 0) {
        put(new Mnemonic(base + letters.charAt(i), family, op, cond, sizes[i], allowed, digit,
            opcodeByte, 0, 0, null, 0));
      }
    }
  }

  private static void sized(String base, Family family, Opcode op, int allowed, int digit) {
    sized(base, family, op, null, allowed, digit, 0);
  }

  /** A mnemonic whose operand size comes only from its register (gas rejects suffixes). */
  private static void unsuffixed(String spelling, Family family, Opcode op, int allowed,
      int digit) {
    put(new Mnemonic(spelling, family, op, null, 0, allowed, digit, 0, 0, 0, null, 0));
  }

  private static void extend(String spelling, Opcode op, int src, int dst) {
    put(new Mnemonic(spelling, Family.MOV_EXTEND, op, null, dst, 1 << dst, 0, 0, src, dst, null,
        0));
  }

  private static void fixed(String spelling, Opcode op, int size, int... bytes) {
    put(new Mnemonic(spelling, Family.FIXED, op, null, 0, 0, 0, 0, 0, 0, bytes, size));
  }

  static {
    String[] alu = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
    Opcode[] aluOps = {
      Opcode.ADD, Opcode.OR, Opcode.ADC, Opcode.SBB, Opcode.AND, Opcode.SUB, Opcode.XOR, Opcode.CMP
    };
    for (int i = 0; i < alu.length; i++) {
      sized(alu[i], Family.ALU, aluOps[i], BWLQ, i);
    }
    sized("test", Family.TEST, Opcode.TEST, BWLQ, 0);
    sized("inc", Family.INC_DEC, Opcode.INC, BWLQ, 0);
    sized("dec", Family.INC_DEC, Opcode.DEC, BWLQ, 1);
    sized("not", Family.GROUP3, Opcode.NOT, BWLQ, 2);
    sized("neg", Family.GROUP3, Opcode.NEG, BWLQ, 3);
    sized("mul", Family.GROUP3, Opcode.MUL, BWLQ, 4);
    sized("div", Family.GROUP3, Opcode.DIV, BWLQ, 6);
    sized("idiv", Family.GROUP3, Opcode.IDIV, BWLQ, 7);
    sized("imul", Family.IMUL, Opcode.IMUL, BWLQ, 5);
    sized("rol", Family.SHIFT, Opcode.ROL, BWLQ, 0);
    sized("ror", Family.SHIFT, Opcode.ROR, BWLQ, 1);
    sized("shl", Family.SHIFT, Opcode.SHL, BWLQ, 4);
    sized("sal", Family.SHIFT, Opcode.SHL, BWLQ, 4);
    sized("shr", Family.SHIFT, Opcode.SHR, BWLQ, 5);
    sized("sar", Family.SHIFT, Opcode.SAR, BWLQ, 7);
    sized("bt", Family.BIT_TEST, Opcode.BT, null, WLQ, 4, 0xA3);
    sized("bts", Family.BIT_TEST, Opcode.BTS, null, WLQ, 5, 0xAB);
    sized("btr", Family.BIT_TEST, Opcode.BTR, null, WLQ, 6, 0xB3);
    sized("btc", Family.BIT_TEST, Opcode.BTC, null, WLQ, 7, 0xBB);
    sized("mov", Family.MOV, Opcode.MOV, BWLQ, 0);
    sized("movabs", Family.MOVABS, Opcode.MOV, BWLQ, 0);
    extend("movzbw", Opcode.MOVZX, 1, 2);
    extend("movzbl", Opcode.MOVZX, 1, 4);
    extend("movzbq", Opcode.MOVZX, 1, 8);
    extend("movzwl", Opcode.MOVZX, 2, 4);
    extend("movzwq", Opcode.MOVZX, 2, 8);
    extend("movsbw", Opcode.MOVSX, 1, 2);
    extend("movsbl", Opcode.MOVSX, 1, 4);
    extend("movsbq", Opcode.MOVSX, 1, 8);
    extend("movswl", Opcode.MOVSX, 2, 4);
    extend("movswq", Opcode.MOVSX, 2, 8);
    extend("movslq", Opcode.MOVSX, 4, 8);
    unsuffixed("movzx", Family.MOV_EXTEND, Opcode.MOVZX, WLQ, 0);
    unsuffixed("movsx", Family.MOV_EXTEND, Opcode.MOVSX, WLQ, 0);
    sized("lea", Family.LEA, Opcode.LEA, WLQ, 0);
    sized("xchg", Family.XCHG, Opcode.XCHG, BWLQ, 0);
    sized("cmpxchg", Family.CMPXCHG_XADD, Opcode.CMPXCHG, null, BWLQ, 0, 0xB0);
    sized("xadd", Family.CMPXCHG_XADD, Opcode.XADD, null, BWLQ, 0, 0xC0);
    sized("push", Family.PUSH, Opcode.PUSH, Q, 6);
    sized("pop", Family.POP, Opcode.POP, Q, 0);
    sized("call", Family.CALL, Opcode.CALL, Q, 2);
    sized("jmp", Family.JMP, Opcode.JMP, Q, 4);
    sized("ret", Family.RET, Opcode.RET, Q, 0);
    for (Condition cc : Condition.values()) {
      for (String s : spellings(cc)) {
        put(new Mnemonic("j" + s, Family.JCC, Opcode.JCC, cc, 0, 0, 0, 0, 0, 0, null, 0));
        sized("set" + s, Family.SETCC, Opcode.SETCC, cc, B, 0, 0);
        sized("cmov" + s, Family.CMOV, Opcode.CMOV, cc, WLQ, 0, 0);
      }
    }
    fixed("cltq", Opcode.CLTQ, 8, 0x48, 0x98);
    fixed("cdqe", Opcode.CLTQ, 8, 0x48, 0x98);
    fixed("cwtl", Opcode.CWTL, 4, 0x98);
    fixed("cwde", Opcode.CWTL, 4, 0x98);
    fixed("cltd", Opcode.CLTD, 4, 0x99);
    fixed("cdq", Opcode.CLTD, 4, 0x99);
    fixed("cqto", Opcode.CQTO, 8, 0x48, 0x99);
    fixed("cqo", Opcode.CQTO, 8, 0x48, 0x99);
    fixed("pause", Opcode.PAUSE, 0, 0xF3, 0x90);
    fixed("mfence", Opcode.MFENCE, 0, 0x0F, 0xAE, 0xF0);
    fixed("lfence", Opcode.LFENCE, 0, 0x0F, 0xAE, 0xE8);
    fixed("sfence", Opcode.SFENCE, 0, 0x0F, 0xAE, 0xF8);
    fixed("rdtsc", Opcode.RDTSC, 0, 0x0F, 0x31);
    fixed("rdtscp", Opcode.RDTSCP, 0, 0x0F, 0x01, 0xF9);
    fixed("syscall", Opcode.SYSCALL, 0, 0x0F, 0x05);
    fixed("ud2", Opcode.UD2, 0, 0x0F, 0x0B);
    sized("nop", Family.NOP, Opcode.NOP, WLQ, 0);
    sized("prefetchnta", Family.PREFETCH, Opcode.PREFETCHNTA, null, 0, 0, 0x18);
    sized("prefetcht0", Family.PREFETCH, Opcode.PREFETCHT0, null, 0, 1, 0x18);
    sized("prefetcht1", Family.PREFETCH, Opcode.PREFETCHT1, null, 0, 2, 0x18);
    sized("prefetcht2", Family.PREFETCH, Opcode.PREFETCHT2, null, 0, 3, 0x18);
    sized("prefetchw", Family.PREFETCH, Opcode.PREFETCHW, null, 0, 1, 0x0D);
    unsuffixed("rdfsbase", Family.SEGMENT_BASE, Opcode.RDFSBASE, L | Q, 0);
    unsuffixed("rdgsbase", Family.SEGMENT_BASE, Opcode.RDGSBASE, L | Q, 1);
    unsuffixed("wrfsbase", Family.SEGMENT_BASE, Opcode.WRFSBASE, L | Q, 2);
    unsuffixed("wrgsbase", Family.SEGMENT_BASE, Opcode.WRGSBASE, L | Q, 3);
    unsuffixed("rdpid", Family.RDPID, Opcode.RDPID, Q, 7);
    sized("ud1", Family.UD1, Opcode.UD1, WLQ, 0);
  }

  /** Every AT&amp;T spelling of a condition, canonical first. */
  private static String[] spellings(Condition cc) {
    List<String> out = new ArrayList<>();
    for (String s : new String[] {
        "o", "no", "b", "c", "nae", "ae", "nc", "nb", "e", "z", "ne", "nz", "be", "na", "a", "nbe",
        "s", "ns", "p", "pe", "np", "po", "l", "nge", "ge", "nl", "le", "ng", "g", "nle"}) {
      if (Condition.fromSuffix(s) == cc) {
        out.add(s);
      }
    }
    return out.toArray(new String[0]);
  }
}
