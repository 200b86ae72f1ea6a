package org.vcpusim.kernel.signal;

import org.vcpusim.kernel.task.Task;

/**
 * The machine's side of {@code signal_wake_up()} (kernel/signal.c): called when a signal has
 * become deliverable to {@code task} ({@link org.vcpusim.kernel.task.TaskWork#SIGPENDING} was just
 * set by another task or by the kernel). The machine must make the task pass through the
 * return-to-user path soon: wake it from an interruptible sleep (nanosleep returns -EINTR), or, if
 * it runs on another CPU, kick that CPU ({@code kick_process()}, an IPI) so it enters the kernel;
 * a runnable task will pass there when it is next scheduled.
 */
@FunctionalInterface
public interface SignalWakeup {
  /** A signal became deliverable to {@code task}. */
  void signalWakeUp(Task task);
}
