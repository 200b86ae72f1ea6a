# calib_empty: the call-loop reference. It only returns, so its cost per call is what the
# driver's loop (call, ret, loop counter, branch) costs by itself; the calibration reports every
# other routine both with that overhead (what `vcpusim asm` measures: it calls the entry with
# call/ret too) and with it subtracted.
        .text
        .globl  calib_empty
        .type   calib_empty, @function
calib_empty:
        ret
        .size   calib_empty, . - calib_empty
