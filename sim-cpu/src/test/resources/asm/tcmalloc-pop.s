# TCMalloc-style per-CPU slab Pop in the ABI variants of userspace.md section 6, plus the era-3
# cached-slab variant (userspace.md 1.5). Descriptor, pointer array kept alive with .reloc, and an
# abort trampoline in .text.unlikely after the signature 0f 1f 05 + 0x53053053 (nopl sig(%rip)).
# In: %rsi = size class. Out: %rax = object, or 0 on underflow.
        .set SHIFT, 18
        .set RSEQ_CS, 8
        .set RSEQ_CPU_ID, 4
        .set RSEQ_MM_CID, 24
        .set TCMALLOC_SIG, 0x53053053
        .set rseq_abi_tpoff, -96        # initial-exec TLS offset of __rseq_abi
        .set slabs_tpoff, -100          # tcmalloc_slabs overlaps cpu_id_start (offset -4)

        .data
        .balign 8
        .globl __rseq_offset
__rseq_offset:  .quad -96
slabs:          .quad 0x7f0000000000

        .text
# ---- (a) index by rseq cpu_id
        .globl pop_cpu_id
        .type pop_cpu_id, @function
pop_cpu_id:
        .pushsection __rseq_cs, "aw"
        .balign 32
        .type __rseq_cs_pop_a, @object
        .size __rseq_cs_pop_a, 32
__rseq_cs_pop_a:
        .long 0x0
        .long 0x0
        .quad 4f
        .quad 5f - 4f
        .quad 2f
        .popsection
        .reloc 0, R_X86_64_NONE, 1f
        .pushsection __rseq_cs_ptr_array, "aw"
1:      .balign 8
        .quad __rseq_cs_pop_a
        .popsection
        .pushsection .text.unlikely, "ax"
        .byte 0x0f, 0x1f, 0x05
        .long TCMALLOC_SIG
2:      jmp 3f
        .popsection
3:      movq __rseq_offset(%rip), %r8
        movq slabs(%rip), %r11
        leaq __rseq_cs_pop_a(%rip), %r9
        movq %r9, %fs:RSEQ_CS(%r8)
4:      movl %fs:RSEQ_CPU_ID(%r8), %r10d
        shlq $SHIFT, %r10
        addq %r11, %r10
        movzwq (%r10,%rsi,4), %rax
        movq -8(%r10,%rax,8), %rdx
        testb $1, %dl
        jnz .Lunderflow_a
        movq -16(%r10,%rax,8), %rcx
        leaq -1(%rax), %rax
        movw %ax, (%r10,%rsi,4)
5:      prefetcht0 (%rcx)
        movq %rdx, %rax
        ret
.Lunderflow_a:
        xorl %eax, %eax
        ret
        .size pop_cpu_id, .-pop_cpu_id

# ---- (b) index by mm_cid: only the id load differs
        .globl pop_mm_cid
pop_mm_cid:
        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_pop_b:
        .long 0, 0
        .quad 4f, 5f - 4f, 2f
        .popsection
        .reloc 0, R_X86_64_NONE, 1f
        .pushsection __rseq_cs_ptr_array, "aw"
1:      .balign 8
        .quad __rseq_cs_pop_b
        .popsection
        .pushsection .text.unlikely, "ax"
        .byte 0x0f, 0x1f, 0x05
        .long TCMALLOC_SIG
2:      jmp 3f
        .popsection
3:      movq __rseq_offset(%rip), %r8
        movq slabs(%rip), %r11
        leaq __rseq_cs_pop_b(%rip), %r9
        movq %r9, %fs:RSEQ_CS(%r8)
4:      movl %fs:RSEQ_MM_CID(%r8), %r10d
        shl $SHIFT, %r10
        add %r11, %r10
        movzwq (%r10,%rsi,4), %rax
        movq -8(%r10,%rax,8), %rdx
        testb $1, %dl
        jnz .Lunderflow_b
        movq -16(%r10,%rax,8), %rcx
        lea -1(%rax), %rax
        movw %ax, (%r10,%rsi,4)
5:      prefetcht0 (%rcx)
        mov %rdx, %rax
        ret
.Lunderflow_b:
        xor %eax, %eax
        ret

# ---- (c) GS mode: the kernel points %gs at this id's slab region
        .globl pop_gs
pop_gs:
        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_pop_c:
        .long 0, 0
        .quad 4f, 5f - 4f, 2f
        .popsection
        .pushsection .text.unlikely, "ax"
        nopl TCMALLOC_SIG(%rip)         # the signature as an instruction: 0f 1f 05 53 30 05 53
2:      jmp 3f
        .popsection
3:      movq __rseq_offset(%rip), %r8
        leaq __rseq_cs_pop_c(%rip), %r9
        movq %r9, %fs:RSEQ_CS(%r8)
4:      movzwq %gs:(,%rsi,4), %rax
        movq %gs:-8(,%rax,8), %rdx
        testb $1, %dl
        jnz .Lunderflow_c
        movq %gs:-16(,%rax,8), %rcx
        leaq -1(%rax), %rax
        movw %ax, %gs:(,%rsi,4)
5:      prefetcht0 (%rcx)
        movq %rdx, %rax
        ret
.Lunderflow_c:
        xorl %eax, %eax
        ret

# ---- era 3: slab pointer cached in TLS over cpu_id_start, valid while bit 63 is set
        .globl pop_cached
pop_cached:
        .pushsection __rseq_cs, "aw"
        .balign 32
__rseq_cs_pop_cached:
        .long 0, 0
        .quad 4f, 5f - 4f, 2f
        .popsection
        .pushsection .text.unlikely, "ax"
        .byte 0x0f, 0x1f, 0x05
        .long TCMALLOC_SIG
2:      jmp 3f
        .popsection
3:      movq $__rseq_cs_pop_cached, %fs:rseq_abi_tpoff+RSEQ_CS
4:      movq %fs:slabs_tpoff, %r10
        btrq $63, %r10
        jnc .Lunderflow_cached
        movzwq (%r10,%rsi,4), %rax
        movq -8(%r10,%rax,8), %rdx
        testb $1, %dl
        jnz .Lunderflow_cached
        movq -16(%r10,%rax,8), %rcx
        leaq -1(%rax), %rax
        movw %ax, (%r10,%rsi,4)
5:      prefetchw -16(%r10,%rax,8)
        prefetcht0 (%rcx)
        movq %rdx, %rax
        ret
.Lunderflow_cached:
        xorl %eax, %eax
        ret
