/**
 * Restartable sequences (kernel/rseq.c through 6.18, with the 6.19 id-update rule as an option):
 * the {@code rseq} system call, per-task registrations and events, the critical-section fixup and
 * id-field update steps of the return-to-user path.
 *
 * <p><b>What the machine calls.</b> {@link org.vcpusim.kernel.rseq.Rseq#install} once while
 * building; then {@link org.vcpusim.kernel.rseq.Rseq#onPreempt} for the task switched out at every
 * context switch (voluntary or not), {@link org.vcpusim.kernel.rseq.Rseq#onMigrate} whenever a
 * task's CPU changes ({@code set_task_cpu()}), {@link org.vcpusim.kernel.rseq.Rseq#onFork} at
 * thread creation ({@code cloneVm} true) and fork (false), {@link
 * org.vcpusim.kernel.rseq.Rseq#onExec} at exec, {@link org.vcpusim.kernel.rseq.Rseq#onExit} at
 * exit, and, after each syscall handler and before the return-to-user pipeline, {@link
 * org.vcpusim.kernel.rseq.Rseq#rseqSyscall} (a no-op unless {@code CONFIG_DEBUG_RSEQ} is
 * modelled). The pipeline steps and the signal hook are installed by {@code install}.
 */
package org.vcpusim.kernel.rseq;
