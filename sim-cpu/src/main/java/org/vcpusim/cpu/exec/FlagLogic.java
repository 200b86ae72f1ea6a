package org.vcpusim.cpu.exec;

/**
 * Lazy evaluation of the arithmetic flags. A flag-writing instruction stores only what produced
 * the flags (an operation code {@code kind << 2 | log2(size)}, its two inputs {@code a} and {@code
 * b} and the size-masked result); a flag is computed only when something reads it (a {@code jcc},
 * {@code setcc}, {@code cmov}, {@code adc}, a syscall saving RFLAGS). This is the scheme of QEMU's
 * {@code CC_OP} and Bochs's lazy flags, and it saves the flag computation on the many ALU
 * instructions whose flags are overwritten before being read.
 *
 * <p>Rules, Intel SDM vol. 1 appendix A and vol. 2 per instruction, for an n-bit operation with
 * inputs and result zero-extended to 64 bits:
 *
 * <ul>
 *   <li>ADD/ADC: CF = unsigned carry out of bit n-1; OF = both inputs have the same sign and the
 *       result's differs. The carry-in of ADC is recovered as {@code (res - a - b) mod 2^n}.
 *   <li>SUB/SBB/CMP/NEG (NEG is {@code 0 - b}): CF = unsigned borrow; OF = the inputs' signs differ
 *       and the result's sign differs from {@code a}'s.
 *   <li>LOGIC (AND/OR/XOR/TEST): CF = OF = 0.
 *   <li>INC/DEC: CF is the one before the instruction (kept in {@code b}); OF = the result is the
 *       signed minimum (INC) or maximum (DEC).
 *   <li>SHL/SHR/SAR with count {@code b} (already masked, non-zero): CF = the last bit shifted out
 *       as the SDM's bit-serial pseudocode defines it, also for counts at or above n, which the SDM
 *       leaves undefined for SHL/SHR (then 0 for SHL/SHR and the sign for SAR). OF = for SHL, CF
 *       XOR MSB(result); for SHR, MSB(result) XOR the bit below it (MSB of the operand for count 1,
 *       0 otherwise); for SAR, 0. The SDM defines OF only for count 1; for other counts we apply
 *       the count-1 formula to the final step, which is what Intel cores give (and what Bochs,
 *       {@code cpu/shift*.cc}, reproduces).
 *   <li>MUL/IMUL: CF = OF = {@code b} (1 when the full product does not fit the destination). SF,
 *       ZF and PF, undefined in the SDM, are those of the truncated result.
 *   <li>SF = bit n-1 of the result, ZF = result is 0, PF = even number of set bits in the result's
 *       low byte, for every kind. AF is not modelled and reads as 0.
 * </ul>
 *
 * Stateless; all methods are static.
 */
final class FlagLogic {
  /** The flags are stored as RFLAGS bits in the result field. */
  static final int MATERIALIZED = 0;
  static final int ADD = 1;
  static final int ADC = 2;
  static final int SUB = 3;
  static final int SBB = 4;
  static final int LOGIC = 5;
  static final int INC = 6;
  static final int DEC = 7;
  static final int SHL = 8;
  static final int SHR = 9;
  static final int SAR = 10;
  static final int MUL = 11;

  // Condition codes, in Condition's hardware order.
  static final int CC_O = 0;
  static final int CC_NO = 1;
  static final int CC_B = 2;
  static final int CC_AE = 3;
  static final int CC_E = 4;
  static final int CC_NE = 5;
  static final int CC_BE = 6;
  static final int CC_A = 7;
  static final int CC_S = 8;
  static final int CC_NS = 9;
  static final int CC_P = 10;
  static final int CC_NP = 11;
  static final int CC_L = 12;
  static final int CC_GE = 13;
  static final int CC_LE = 14;
  static final int CC_G = 15;

  private FlagLogic() {}

  /** The lazy operation code of {@code kind} at size {@code 1 << sizeLog} bytes. */
  static int op(int kind, int sizeLog) {
    return kind << 2 | sizeLog;
  }

  /** Mask of an operand of {@code 1 << sizeLog} bytes. */
  static long mask(int sizeLog) {
    return sizeLog == 3 ? -1L : (1L << (8 << sizeLog)) - 1;
  }

  /** Sign-extends the low {@code 8 << sizeLog} bits of {@code v}. */
  static long signExtend(long v, int sizeLog) {
    int shift = 64 - (8 << sizeLog);
    return v << shift >> shift;
  }

  private static long signBit(int op) {
    return 1L << ((8 << (op & 3)) - 1);
  }

  static boolean cf(int op, long a, long b, long res) {
    switch (op >>> 2) {
      case MATERIALIZED:
        return (res & Rflags.CF) != 0;
      case ADD:
        return Long.compareUnsigned(res, a) < 0;
      case ADC: {
        boolean carryIn = ((res - a - b) & mask(op & 3)) != 0;
        return Long.compareUnsigned(res, a) < 0 || (carryIn && res == a);
      }
      case SUB:
        return Long.compareUnsigned(a, b) < 0;
      case SBB: {
        boolean borrowIn = ((a - b - res) & mask(op & 3)) != 0;
        return Long.compareUnsigned(a, b) < 0 || (borrowIn && a == b);
      }
      case INC:
      case DEC:
      case MUL:
        return b != 0;
      case SHL: {
        int count = (int) b;
        int bits = 8 << (op & 3);
        return count <= bits && ((a >>> (bits - count)) & 1) != 0;
      }
      case SHR:
        return ((a >>> (b - 1)) & 1) != 0;
      case SAR:
        return ((signExtend(a, op & 3) >> (b - 1)) & 1) != 0;
      default:
        return false;
    }
  }

  static boolean zf(int op, long res) {
    return (op >>> 2) == MATERIALIZED ? (res & Rflags.ZF) != 0 : res == 0;
  }

  static boolean sf(int op, long res) {
    return (op >>> 2) == MATERIALIZED ? (res & Rflags.SF) != 0 : (res & signBit(op)) != 0;
  }

  static boolean pf(int op, long res) {
    return (op >>> 2) == MATERIALIZED
        ? (res & Rflags.PF) != 0
        : (Integer.bitCount((int) res & 0xFF) & 1) == 0;
  }

  static boolean of(int op, long a, long b, long res) {
    switch (op >>> 2) {
      case MATERIALIZED:
        return (res & Rflags.OF) != 0;
      case ADD:
      case ADC:
        return ((a ^ res) & (b ^ res) & signBit(op)) != 0;
      case SUB:
      case SBB:
        return ((a ^ b) & (a ^ res) & signBit(op)) != 0;
      case INC:
        return res == signBit(op);
      case DEC:
        return res == signBit(op) - 1;
      case SHL:
        return cf(op, a, b, res) != ((res & signBit(op)) != 0);
      case SHR:
        return ((res ^ (res << 1)) & signBit(op)) != 0;
      case MUL:
        return b != 0;
      default:
        return false;
    }
  }

  /** RFLAGS status bits (CF PF ZF SF OF, and AF when materialized) of a lazy state. */
  static long materialize(int op, long a, long b, long res) {
    if ((op >>> 2) == MATERIALIZED) {
      return res & Rflags.STATUS;
    }
    long bits = 0;
    if (cf(op, a, b, res)) {
      bits |= Rflags.CF;
    }
    if (pf(op, res)) {
      bits |= Rflags.PF;
    }
    if (res == 0) {
      bits |= Rflags.ZF;
    }
    if ((res & signBit(op)) != 0) {
      bits |= Rflags.SF;
    }
    if (of(op, a, b, res)) {
      bits |= Rflags.OF;
    }
    return bits;
  }

  /**
   * Evaluates condition code {@code cond} (0..15, {@link org.vcpusim.cpu.isa.Condition#code()})
   * against a lazy state. After a compare or subtraction the unsigned and signed conditions are
   * evaluated directly as comparisons of the inputs.
   */
  static boolean test(int cond, int op, long a, long b, long res) {
    int kind = op >>> 2;
    if (kind == SUB) {
      switch (cond) {
        case CC_E:
          return res == 0;
        case CC_NE:
          return res != 0;
        case CC_B:
          return Long.compareUnsigned(a, b) < 0;
        case CC_AE:
          return Long.compareUnsigned(a, b) >= 0;
        case CC_BE:
          return Long.compareUnsigned(a, b) <= 0;
        case CC_A:
          return Long.compareUnsigned(a, b) > 0;
        case CC_L:
          return signExtend(a, op & 3) < signExtend(b, op & 3);
        case CC_GE:
          return signExtend(a, op & 3) >= signExtend(b, op & 3);
        case CC_LE:
          return signExtend(a, op & 3) <= signExtend(b, op & 3);
        case CC_G:
          return signExtend(a, op & 3) > signExtend(b, op & 3);
        default:
          break;
      }
    } else if (kind == LOGIC) {
      switch (cond) {
        case CC_E:
        case CC_BE:
          return res == 0;
        case CC_NE:
        case CC_A:
          return res != 0;
        default:
          break;
      }
    }
    switch (cond) {
      case CC_O:
        return of(op, a, b, res);
      case CC_NO:
        return !of(op, a, b, res);
      case CC_B:
        return cf(op, a, b, res);
      case CC_AE:
        return !cf(op, a, b, res);
      case CC_E:
        return zf(op, res);
      case CC_NE:
        return !zf(op, res);
      case CC_BE:
        return cf(op, a, b, res) || zf(op, res);
      case CC_A:
        return !cf(op, a, b, res) && !zf(op, res);
      case CC_S:
        return sf(op, res);
      case CC_NS:
        return !sf(op, res);
      case CC_P:
        return pf(op, res);
      case CC_NP:
        return !pf(op, res);
      case CC_L:
        return sf(op, res) != of(op, a, b, res);
      case CC_GE:
        return sf(op, res) == of(op, a, b, res);
      case CC_LE:
        return zf(op, res) || sf(op, res) != of(op, a, b, res);
      case CC_G:
        return !zf(op, res) && sf(op, res) == of(op, a, b, res);
      default:
        throw new IllegalArgumentException("condition code " + cond);
    }
  }
}
