package org.vcpusim.kernel.signal;

import org.vcpusim.kernel.entry.ExitToUser;

/**
 * Work that must happen when a handler is about to be entered, before its frame is built from the
 * interrupted user state: the kernel's {@code rseq_signal_deliver()} call at the top of {@code
 * setup_rt_frame()} (arch/x86/kernel/signal.c), which moves the interrupted IP to an rseq abort
 * handler so that the frame saves (and rt_sigreturn resumes at) the abort handler.
 */
@FunctionalInterface
public interface SignalDeliveryHook {
  /**
   * Called for {@code exit.task()} before the frame for {@code sig} is written; may change the
   * task's registers, and may kill it ({@link ExitToUser#kill()}), in which case no frame is built.
   */
  void beforeSignalFrame(ExitToUser exit, int sig);
}
