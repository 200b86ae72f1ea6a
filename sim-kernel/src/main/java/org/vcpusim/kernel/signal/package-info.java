/**
 * POSIX signals for x86-64 (kernel/signal.c, arch/x86/kernel/signal.c and signal_64.c): the
 * sigaction tables, masks and pending sets, sending and forcing, the delivery step with the
 * {@code rt_sigframe}, and the rt_sigaction, rt_sigprocmask, rt_sigreturn, kill and tgkill calls.
 *
 * <p><b>What the machine calls.</b> {@link org.vcpusim.kernel.signal.Signals#install} once, with a
 * {@link org.vcpusim.kernel.signal.SignalWakeup} that wakes an interruptibly sleeping task or kicks
 * the CPU a task runs on; {@link org.vcpusim.kernel.signal.Signals#forceTrap} when a core reports
 * a fault, followed by the return-to-user pipeline (whose delivery step kills or enters the
 * handler); {@link org.vcpusim.kernel.signal.Signals#onClone} at thread creation and fork, {@link
 * org.vcpusim.kernel.signal.Signals#onExec} at exec, {@link
 * org.vcpusim.kernel.signal.Signals#onExit} at exit. Sending {@code kill()} may kill a process
 * (the caller's included) inside the syscall through {@code KernelServices.killProcess}.
 */
package org.vcpusim.kernel.signal;
