package org.vcpusim.kernel.testing;

import org.vcpusim.kernel.sched.FairScheduler;

/**
 * What the machine does at the next instruction boundary of every CPU, for harnesses that drive a
 * {@link FairScheduler} without a machine: {@code schedule()} on each CPU whose need_resched is
 * set, repeated until none is set (a switch on one CPU can set it on another, e.g. a wake-up or a
 * migration by the newly idle balance).
 *
 * <p><b>Caveats:</b> test scaffolding.
 */
public final class Resched {
  /**
   * Rounds after which need_resched is taken not to settle: each round can only hand work to CPUs
   * that were idle, so a scheduler that has not settled after a few rounds per CPU is looping.
   */
  private static final int ROUNDS_PER_CPU = 4;

  private Resched() {}

  /**
   * Calls {@link FairScheduler#schedule} at {@code now} on every CPU with need_resched until none
   * is left; an {@link AssertionError} if that takes more than {@code 4 × nr_cpus} rounds.
   */
  public static void settle(FairScheduler sched, long now) {
    int nrCpus = sched.topology().nrCpus();
    for (int round = 0; ; round++) {
      boolean any = false;
      for (int cpu = 0; cpu < nrCpus; cpu++) {
        if (sched.needsResched(cpu)) {
          sched.schedule(cpu, now);
          any = true;
        }
      }
      if (!any) {
        return;
      }
      if (round > ROUNDS_PER_CPU * nrCpus) {
        throw new AssertionError("need_resched does not settle at t=" + now);
      }
    }
  }
}
