package org.vcpusim.scenarios.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.vcpusim.core.random.RandomStream;
import org.vcpusim.core.random.RandomStreams;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.scenarios.scenario.DisturbanceRates;

/**
 * Turns per-thread rates into a schedule: for each kind (enum order) and each thread, a Poisson
 * process of the kind's rate per simulated second over {@code [start, end)}, drawn from the run's
 * stream {@value #STREAM}; the schedule is sorted by (tick, thread, kind). A drain names an id
 * uniformly in {@code [0, nrIds)}; an affinity change carries a random word that picks the CPU
 * from the process's mask when applied ({@link WorkloadRun#apply}).
 */
public final class Disturbances {
  /** The random stream every schedule draws from. */
  public static final String STREAM = "workload.disturbances";

  private Disturbances() {}

  /** The schedule of {@code rates} for {@code threads} workers over {@code [startPs, endPs)}. */
  public static List<Disturbance> schedule(DisturbanceRates rates, int threads, int nrIds,
      long startPs, long endPs, RandomStreams random) {
    RandomStream r = random.stream(STREAM);
    List<Disturbance> out = new ArrayList<>();
    for (DisturbanceKind kind : DisturbanceKind.values()) {
      double perSecond = kind.rate(rates);
      if (perSecond <= 0) {
        continue;
      }
      double meanGapPs = Ticks.PER_SECOND / perSecond;
      for (int t = 0; t < threads; t++) {
        long at = startPs;
        while (true) {
          at += Math.max(1, Math.round(r.exponential(meanGapPs)));
          if (at >= endPs) {
            break;
          }
          long arg = switch (kind) {
            case SLEEP -> rates.sleepUs() * 1000;
            case DRAIN -> r.nextInt(nrIds);
            case AFFINITY -> r.nextLong() & Long.MAX_VALUE;
            default -> 0;
          };
          out.add(new Disturbance(at, t, kind, arg));
        }
      }
    }
    out.sort(Comparator.comparingLong(Disturbance::tick).thenComparingInt(Disturbance::thread)
        .thenComparing(Disturbance::kind));
    return out;
  }
}
