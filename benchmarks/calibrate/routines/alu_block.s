# alu_block: 216 independent `addl $1, reg`, 24 rounds over 9 caller-saved registers (9
# dependency chains of 24, so latency never binds), then `ret`. It measures how many simple
# integer ops one thread starts per cycle: the integer ALU pipes (`pipeline.aluPorts` in the
# profiles; Zen 5 has 6) bound it, not the dispatch width (8). The 216 adds take 36 cycles on 6
# pipes and 27 at 8 per cycle; the call loop (calib_empty) runs beside them.
        .text
        .globl  alu_block
        .type   alu_block, @function
alu_block:
        .rept   24
        .irp    reg, %eax, %ecx, %edx, %esi, %edi, %r8d, %r9d, %r10d, %r11d
        addl    $1, \reg
        .endr
        .endr
        ret
        .size   alu_block, . - alu_block
