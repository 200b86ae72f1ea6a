package org.vcpusim.cpu.isa;

/**
 * The operations of the x86-64 subset vcpusim executes, independent of operand size. The assembler
 * maps AT&amp;T mnemonics with their size suffixes onto these ({@code movzbl} is {@link #MOVZX} with a
 * 1-byte source and a 4-byte destination, {@code movslq} is {@link #MOVSX} with a 4-byte source,
 * {@code jne} is {@link #JCC} with {@link Condition#NE}); the operand sizes live in the {@link
 * Operand}s and in {@link Instruction#size}.
 *
 * <p>Operands are kept in AT&amp;T order: sources first, destination last. Semantics are those of
 * the Intel SDM vol. 2 for each instruction; the notes below give the forms accepted.
 */
public enum Opcode {
  // ---- data movement
  /** {@code mov src, dst}; also {@code movabs}. */
  MOV,
  /** Zero-extending move, {@code movz[bw][wlq]}: 1 or 2 byte source. */
  MOVZX,
  /** Sign-extending move, {@code movs[bw][wlq]} and {@code movslq}: 1, 2 or 4 byte source. */
  MOVSX,
  /** {@code lea mem, reg}: address computation, no memory access, no segment base. */
  LEA,
  /** {@code xchg a, b}; with a memory operand it is implicitly locked. */
  XCHG,
  /** {@code push src} (8 bytes; immediates sign-extended). */
  PUSH,
  /** {@code pop dst} (8 bytes). */
  POP,
  /** {@code cmovcc src, reg} with {@link Instruction#condition}. */
  CMOV,
  /** {@code cltq} / {@code cdqe}: sign-extend EAX into RAX. */
  CLTQ,
  /** {@code cwtl} / {@code cwde}: sign-extend AX into EAX. */
  CWTL,
  /** {@code cltd} / {@code cdq}: sign-extend EAX into EDX:EAX. */
  CLTD,
  /** {@code cqto} / {@code cqo}: sign-extend RAX into RDX:RAX. */
  CQTO,

  // ---- integer arithmetic
  ADD,
  ADC,
  SUB,
  SBB,
  INC,
  DEC,
  NEG,
  /** {@code cmp src, dst}: flags of dst - src. */
  CMP,
  /** One-operand (RDX:RAX = RAX * src), two-operand and three-operand ({@code imul $imm, src, dst}). */
  IMUL,
  /** Unsigned RDX:RAX = RAX * src. */
  MUL,
  /** Unsigned divide of RDX:RAX by src; #DE on zero or overflow. */
  DIV,
  /** Signed divide of RDX:RAX by src; #DE on zero or overflow. */
  IDIV,

  // ---- logic, shifts, bits
  AND,
  OR,
  XOR,
  NOT,
  /** {@code test src, dst}: flags of dst AND src. */
  TEST,
  /** {@code shl}/{@code sal}: count is an immediate or {@code %cl}; a missing count means 1. */
  SHL,
  SHR,
  SAR,
  ROL,
  ROR,
  /** {@code bt bit, base}: CF = selected bit. */
  BT,
  BTS,
  BTR,
  BTC,

  // ---- control flow
  /** Direct ({@link Instruction#target}) or indirect ({@code jmp *%rax}, {@code jmp *8(%rax)}). */
  JMP,
  /** Conditional jump, always direct. */
  JCC,
  /** {@code setcc dst8}. */
  SETCC,
  /** Direct or indirect call: pushes the return address. */
  CALL,
  /** {@code ret} (optionally {@code ret $imm16}). */
  RET,

  // ---- atomics (with {@link Instruction#lock} they are locked read-modify-writes)
  /** {@code cmpxchg reg, mem}: compares RAX-view with mem. */
  CMPXCHG,
  /** {@code xadd reg, mem}. */
  XADD,

  // ---- hints, fences, prefetches
  /** Any {@code nop} form, including {@code nopl imm(%rip)} (TCMalloc's rseq signature). */
  NOP,
  PAUSE,
  MFENCE,
  LFENCE,
  SFENCE,
  PREFETCHT0,
  PREFETCHT1,
  PREFETCHT2,
  PREFETCHNTA,
  PREFETCHW,

  // ---- segment bases and ids (FSGSBASE, RDPID and RDTSCP are gated by CPU features)
  RDFSBASE,
  WRFSBASE,
  RDGSBASE,
  WRGSBASE,
  RDPID,
  RDTSC,
  RDTSCP,

  // ---- system
  /** Enters the kernel: RAX = number, RDI RSI RDX R10 R8 R9 = arguments; RCX and R11 clobbered. */
  SYSCALL,
  /** Undefined instruction: raises #UD (librseq's signature is a {@code ud1} encoding). */
  UD1,
  /** Undefined instruction: raises #UD. */
  UD2;

  /** True for operations whose {@link Instruction#condition} is meaningful. */
  public boolean isConditional() {
    return this == JCC || this == SETCC || this == CMOV;
  }

  /** True for operations that may change RIP other than by falling through. */
  public boolean isControlTransfer() {
    return this == JMP || this == JCC || this == CALL || this == RET || this == SYSCALL;
  }
}
