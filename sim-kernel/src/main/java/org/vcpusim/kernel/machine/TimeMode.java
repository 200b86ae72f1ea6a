package org.vcpusim.kernel.machine;

/**
 * How the machine advances its CPUs in simulated time.
 *
 * <ul>
 *   <li>{@link #EXACT}: the running CPU with the smallest local time executes one instruction, then
 *       the choice is made again (ties by CPU number); every event due at or before that time
 *       fires first. Memory effects of different CPUs interleave in true time order, so races and
 *       rseq preemption windows are reproduced instruction by instruction. The default, and the
 *       mode for correctness scenarios.
 *   <li>{@link #QUANTUM}: the chosen CPU runs until its local time has advanced by the quantum (or
 *       reached the next pending event) before the choice is made again. Interrupts, IPIs and
 *       wake-ups still reach a CPU only at an instruction boundary, but CPUs' memory effects
 *       interleave at quantum granularity, so programs that race across CPUs may behave
 *       differently; race-free programs compute the same results. Faster with many CPUs.
 * </ul>
 */
public enum TimeMode {
  EXACT,
  QUANTUM
}
