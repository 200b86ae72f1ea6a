# librseq per-id operations (compudj/librseq include/rseq/arch/x86/bits.h; kernel selftests
# param_test.c tests i, l, s): the id is read before the critical section (rseq_cpu_start() /
# rseq_current_mm_cid()) and compared again inside it (RSEQ_ASM_CBNE_CPU_ID); in GS mode no id is
# read and the per-id fields are %gs: operands. Placeholders: @PREP@, @IDLOAD@ (id in %ecx,
# region in %r10), @ARM:cs@, @IDCHECK:retry@, @SELF@ (GS mode: the region's address from its
# self pointer), {disp} operands. Per-id fields: COUNTER_OFF, LIST_OFF, LOCK_OFF,
# LOCKED_COUNT_OFF, SELF_OFF. Clobbers %rax %rcx %rdx %r8-%r11.

# counter_inc: counter[id] += 1 (rseq_addv / rseq_load_add_store__ptr).
counter_inc:
@PREP@
@IDLOAD@
@ARM:counter_inc@
counter_inc_start:
@IDCHECK:counter_inc@
        movq {COUNTER_OFF}, %rax
        addq $1, %rax
counter_inc_commit:
        movq %rax, {COUNTER_OFF}
counter_inc_post:
        ret
counter_inc_end:
@CS:counter_inc:counter_inc@

# list_pop -> %rax = node or 0 (rseq_load_cbeq_store_add_load_store__ptr: head, je empty,
# head->next, store).
list_pop:
@PREP@
@IDLOAD@
@ARM:list_pop@
list_pop_start:
@IDCHECK:list_pop@
        movq {LIST_OFF}, %rax
        testq %rax, %rax
        jz 1f
        movq (%rax), %rdx
list_pop_commit:
        movq %rdx, {LIST_OFF}
list_pop_post:
        ret
1:      xorl %eax, %eax
        ret
list_pop_end:
@CS:list_pop:list_pop@

# list_push(%rdi = node): node->next = head read before; commit head = node if head unchanged
# (rseq_load_cbne_store__ptr); retry otherwise.
list_push:
@PREP@
@IDLOAD@
        movq {LIST_OFF}, %rax
        movq %rax, (%rdi)
@ARM:list_push@
list_push_start:
@IDCHECK:list_push@
        cmpq {LIST_OFF}, %rax
        jne list_push
list_push_commit:
        movq %rdi, {LIST_OFF}
list_push_post:
        ret
list_push_end:
@CS:list_push:list_push@

# spin_op: param_test's test_percpu_spinlock: take lock[id] with rseq_cmpeqv_storev (0 -> 1,
# retry while held), locked_count[id] += 1 with plain accesses, release with a plain store.
spin_op:
@PREP@
@IDLOAD@
@ARM:spin_op@
spin_op_start:
@IDCHECK:spin_op@
@SELF@
        cmpq $0, {LOCK_OFF}
        jne spin_op
spin_op_commit:
        movq $1, {LOCK_OFF}
spin_op_post:
        movq LOCKED_COUNT_OFF(%r10), %rax
        addq $1, %rax
        movq %rax, LOCKED_COUNT_OFF(%r10)
        movq $0, LOCK_OFF(%r10)
        ret
spin_op_end:
@CS:spin_op:spin_op@
