# Native-only helpers for calibrate.c (not run by the simulator).
#
# calib_call_loop(void (*fn)(void), uint64_t n): calls fn n times back to back with an indirect
# `call`, then returns. The loop itself (call, ret, dec, jnz) is what calib_empty measures.
#
# calib_add_chain(uint64_t n): n iterations of 100 dependent `addq $1, %rax`. Integer add has a
# 1-cycle latency on every x86-64 core of the last 20 years, so the chain runs at 100 core
# cycles per iteration (the dec/jnz pair executes beside it); timing it with the TSC gives core
# cycles per TSC tick (the method of reference userspace.md section 5.4).
#
        .text
        .globl  calib_call_loop
        .type   calib_call_loop, @function
calib_call_loop:
        pushq   %rbx
        pushq   %r12
        subq    $8, %rsp                        # keep rsp 16-byte aligned at each call
        movq    %rdi, %rbx
        movq    %rsi, %r12
        testq   %r12, %r12
        jz      2f
1:      call    *%rbx
        decq    %r12
        jnz     1b
2:      addq    $8, %rsp
        popq    %r12
        popq    %rbx
        ret
        .size   calib_call_loop, . - calib_call_loop

        .globl  calib_add_chain
        .type   calib_add_chain, @function
calib_add_chain:
        xorl    %eax, %eax
        testq   %rdi, %rdi
        jz      2f
        .p2align 5
1:
        .rept   100
        addq    $1, %rax
        .endr
        decq    %rdi
        jnz     1b
2:      ret
        .size   calib_add_chain, . - calib_add_chain

# calib_imul_chain(uint64_t n): n iterations of 100 dependent `imulq %rdx, %rax` (rdx = 1). A
# cross-check of the add-chain clock where no cycle counter is exposed: 64-bit imul has a
# 3-cycle latency on current Intel and AMD cores (Intel optimization manual; AMD Zen software
# optimization guides), so this chain must time at 3.0 add-chain cycles per imul.
        .globl  calib_imul_chain
        .type   calib_imul_chain, @function
calib_imul_chain:
        movl    $1, %eax
        movl    $1, %edx
        testq   %rdi, %rdi
        jz      2f
        .p2align 5
1:
        .rept   100
        imulq   %rdx, %rax
        .endr
        decq    %rdi
        jnz     1b
2:      ret
        .size   calib_imul_chain, . - calib_imul_chain
        .section .note.GNU-stack, "", @progbits
