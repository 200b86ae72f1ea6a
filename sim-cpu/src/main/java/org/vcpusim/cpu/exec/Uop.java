package org.vcpusim.cpu.exec;

import org.vcpusim.cpu.isa.Instruction;
import org.vcpusim.cpu.isa.Segment;

/**
 * The interpreter's form of one {@link Instruction}: the operand form resolved into a handler
 * number ({@link #kind}) and flat fields (register indices, shifts and masks of register views, the
 * one memory operand with RIP-relative displacements made absolute, branch target indices), so the
 * hot loop does no decoding and no operand-kind dispatch. Built by {@link Decoder}; never modified
 * afterwards.
 */
final class Uop {
  // ---- handler numbers
  static final int MOV_RR = 0;
  static final int MOV_IR = 1;
  static final int MOV_MR = 2;
  static final int MOV_RM = 3;
  static final int MOV_IM = 4;
  static final int MOVZX_R = 5;
  static final int MOVZX_M = 6;
  static final int MOVSX_R = 7;
  static final int MOVSX_M = 8;
  static final int LEA = 9;
  static final int XCHG_RR = 10;
  static final int XCHG_RM = 11;
  static final int PUSH_R = 12;
  static final int PUSH_I = 13;
  static final int PUSH_M = 14;
  static final int POP_R = 15;
  static final int POP_M = 16;
  static final int CMOV_R = 17;
  static final int CMOV_M = 18;
  static final int CLTQ = 19;
  static final int CWTL = 20;
  static final int CLTD = 21;
  static final int CQTO = 22;
  static final int ALU_RR = 23;
  static final int ALU_IR = 24;
  static final int ALU_MR = 25;
  static final int ALU_RM = 26;
  static final int ALU_IM = 27;
  static final int UNARY_R = 28;
  static final int UNARY_M = 29;
  static final int SHIFT_R = 30;
  static final int SHIFT_M = 31;
  static final int IMUL2 = 32;
  static final int IMUL3 = 33;
  static final int MULDIV = 34;
  static final int BT_R = 35;
  static final int BT_M = 36;
  static final int JMP = 37;
  static final int JMP_R = 38;
  static final int JMP_M = 39;
  static final int JCC = 40;
  static final int SETCC_R = 41;
  static final int SETCC_M = 42;
  static final int CALL = 43;
  static final int CALL_R = 44;
  static final int CALL_M = 45;
  static final int RET = 46;
  static final int CMPXCHG_R = 47;
  static final int CMPXCHG_M = 48;
  static final int XADD_R = 49;
  static final int XADD_M = 50;
  static final int NOP = 51;
  static final int PREFETCH = 52;
  static final int RDFSBASE = 53;
  static final int WRFSBASE = 54;
  static final int RDGSBASE = 55;
  static final int WRGSBASE = 56;
  static final int RDPID = 57;
  static final int RDTSC = 58;
  static final int RDTSCP = 59;
  static final int SYSCALL = 60;
  static final int UD = 61;

  // ---- sub-operations (field op)
  static final int OP_ADD = 0;
  static final int OP_ADC = 1;
  static final int OP_SUB = 2;
  static final int OP_SBB = 3;
  static final int OP_AND = 4;
  static final int OP_OR = 5;
  static final int OP_XOR = 6;
  static final int OP_CMP = 7;
  static final int OP_TEST = 8;

  static final int OP_INC = 0;
  static final int OP_DEC = 1;
  static final int OP_NEG = 2;
  static final int OP_NOT = 3;

  static final int OP_SHL = 0;
  static final int OP_SHR = 1;
  static final int OP_SAR = 2;
  static final int OP_ROL = 3;
  static final int OP_ROR = 4;

  static final int OP_MUL = 0;
  static final int OP_IMUL1 = 1;
  static final int OP_DIV = 2;
  static final int OP_IDIV = 3;

  static final int OP_BT = 0;
  static final int OP_BTS = 1;
  static final int OP_BTR = 2;
  static final int OP_BTC = 3;

  Instruction insn;
  long address;
  int length;
  long nextRip;
  /** Direct branch target, or -1. */
  long target = -1;
  /** Index of the instruction at {@link #target}, or -1. */
  int targetIndex = -1;

  int kind;
  int op;
  /** Operation size in bytes, its log2 and mask. */
  int size;
  int sizeLog;
  long mask;

  /** Source register view: index (ZERO_SLOT when none), bit shift (8 for ah..bh), mask. */
  int srcReg = ThreadContext.ZERO_SLOT;
  int srcShift;
  long srcMask;
  /** Source size log2 for movzx/movsx. */
  int srcSizeLog;

  /** Destination register view; {@link #dstFull} for 4- and 8-byte views (no merge). */
  int dstReg = ThreadContext.ZERO_SLOT;
  int dstShift;
  long dstMask;
  boolean dstFull;

  /** Immediate (masked to the operation size), shift count, bit offset or {@code ret} pop. */
  long imm;

  // ---- the memory operand
  int base = ThreadContext.ZERO_SLOT;
  int index = ThreadContext.ZERO_SLOT;
  int scaleShift;
  /** Displacement; absolute (next RIP added) for RIP-relative operands. */
  long disp;
  /** 0 none, 1 FS, 2 GS: index into {@link ThreadContext#segBase}. */
  int seg;
  Segment segment = Segment.NONE;
  /** Width of the memory access. */
  int memSize;

  /** Condition code for jcc/setcc/cmov, or -1. */
  int cond = -1;
  /** The source operand is memory (IMUL2/IMUL3/MULDIV). */
  boolean memSrc;
  /** Shift count comes from CL rather than {@link #imm}. */
  boolean countFromCl;
  /** Bit offset of bt* comes from the source register rather than {@link #imm}. */
  boolean offsetFromReg;
  /** The destination is written (false for cmp/test). */
  boolean writes;
}
