# Per-id slab Pop and Push, TCMalloc era-3 shapes (userspace.md §1.5 and §6: 4-byte header
# {u16 current, u16 end} per size class at the region start, objects in 8-byte slots, a begin
# marker with its low bit set in the slot below each class's first slot). Instantiated by
# WorkloadImage once as the fast path (failures go to the slow paths) and once as the "try"
# variants the slow paths use (failures return 0). Placeholders: %POP% %PUSH% names,
# %POP_EMPTY% %POP_UNCACHED% %PUSH_FULL% %PUSH_UNCACHED% failure targets, @PREP@ (rows 1-2),
# @ARM:cs@ (rows 3-4), @REGION:label@ (rows 5-7, or the cached-slab load), {disp,idx,scale}
# operands (region-relative: disp(%r10,idx,scale), or %gs:disp(,idx,scale) in GS mode).
# Push reads the header {current, end} with one 4-byte load: a remote drain (slab-drain-locked.s)
# rewrites whole headers, and two loads could pair a locked current with a restarted end (the
# store then lands on the slot the stale current names).
# In: %rsi = size class (both), %rdi = object (Push). Out: %rax = object or 0 (Pop), 1 or 0 (Push).
# Clobbers %rax %rcx %rdx %r8-%r11.
%POP%:
@PREP@
@ARM:%POP%@
%POP%_start:
@REGION:%POP_UNCACHED%@
        movzwq {0,%rsi,4}, %rax                 # header.current
        movq {-8,%rax,8}, %rdx                  # the top object (or the begin marker)
        testb $1, %dl
        jnz %POP_EMPTY%
        movq {-16,%rax,8}, %rcx                 # the next object, to prefetch
        leaq -1(%rax), %rax
%POP%_commit:
        movw %ax, {0,%rsi,4}                    # commit: header.current - 1
%POP%_post:
        prefetcht0 (%rcx)
        movq %rdx, %rax
        ret
%POP%_end:
@CS:%POP%:%POP%@

%PUSH%:
@PREP@
@ARM:%PUSH%@
%PUSH%_start:
@REGION:%PUSH_UNCACHED%@
        movl {0,%rsi,4}, %ecx                   # the header, one load
        movzwl %cx, %eax                        # header.current
        shrl $16, %ecx                          # header.end
        cmpl %ecx, %eax
        jae %PUSH_FULL%
        movq %rdi, {0,%rax,8}
        leaq 1(%rax), %rax
%PUSH%_commit:
        movw %ax, {0,%rsi,4}                    # commit: header.current + 1
%PUSH%_post:
        movl $1, %eax
        ret
%PUSH%_end:
@CS:%PUSH%:%PUSH%@
