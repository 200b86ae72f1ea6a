package org.vcpusim.scenarios.workload;

import org.vcpusim.scenarios.scenario.DisturbanceRates;

/** What a scheduled disturbance does to its thread, and how it is delivered. */
public enum DisturbanceKind {
  /** nanosleep of the rate's sleep length (mailbox code 1). */
  SLEEP(1),
  /** sched_yield (mailbox code 2). */
  YIELD(2),
  /** SIGUSR1 to the thread ({@code Machine.sendSignal}); the handler runs user code. */
  SIGNAL(0),
  /** stop + fence + drain + restart of one id's slab (mailbox code 3, argument the id). */
  DRAIN(3),
  /** re-pin the thread to one CPU of the process mask ({@code Machine.setAffinity}). */
  AFFINITY(0),
  /** a library writes GS (ARCH_SET_GS of its own buffer) and uses it (mailbox code 4). */
  GS_CLOBBER(4);

  /** The mailbox code the driver serves, or 0 when the machine API applies it. */
  final int mailboxCode;

  DisturbanceKind(int mailboxCode) {
    this.mailboxCode = mailboxCode;
  }

  /** This kind's rate in {@code rates} (per thread per simulated second). */
  public double rate(DisturbanceRates rates) {
    return switch (this) {
      case SLEEP -> rates.sleeps();
      case YIELD -> rates.yields();
      case SIGNAL -> rates.signals();
      case DRAIN -> rates.membarrierDrains();
      case AFFINITY -> rates.affinityChanges();
      case GS_CLOBBER -> rates.gsClobbers();
    };
  }
}
