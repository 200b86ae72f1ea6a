/**
 * The {@code membarrier} system call (kernel/sched/membarrier.c) with its RSEQ commands, whose
 * IPIs restart critical sections on the CPUs running the caller's mm.
 *
 * <p><b>What the machine calls.</b> {@link org.vcpusim.kernel.membarrier.Membarrier#install} once;
 * {@link org.vcpusim.kernel.membarrier.Membarrier#onFork} and {@link
 * org.vcpusim.kernel.membarrier.Membarrier#onExec} for new and replaced memory images. Its {@code
 * KernelServices.sendIpi} must run each handler on the target at an instruction boundary and keep
 * the caller in the kernel until every IPI of the call has run ({@code smp_call_function_many()}
 * with {@code wait = true}).
 */
package org.vcpusim.kernel.membarrier;
