package org.vcpusim.kernel.experiment;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.vcpusim.core.time.Ticks;
import org.vcpusim.kernel.machine.Finding;

/**
 * What one run of {@link CidSweep} measured under one allocator. Every figure except those marked
 * otherwise is taken at the end of the measured {@code simulatedPs} (before the workers are told
 * to stop); the counter check and the findings cover the drain as well.
 *
 * @param allocator the allocator's name ({@code CidAllocators})
 * @param cpus CPUs of the machine ({@code nr_cpu_ids})
 * @param threads threads of the process
 * @param seed the machine's seed
 * @param simulatedPs the measured simulated time
 * @param highWater largest cid + 1 any thread held ({@code CidAccounting.highWater}); the max cid
 *     is one less
 * @param idsUsed distinct cids the threads held
 * @param cidChanges switch-ins that gave a thread a cid other than the one it held last, summed
 *     over the threads
 * @param switchIns switch-ins of the process's threads
 * @param migrations {@code sched.migrations} of the machine
 * @param affinityChanges {@code sched_setaffinity} calls the driver made
 * @param policyFigures the allocator's own statistics ({@code cid.<policy>.mm<pid>.<name>}) by
 *     {@code <name>}
 * @param gsWrites GS population writes ({@code GsCosts.writes})
 * @param gsWritesAfterSwitchIn of which on a return that followed a switch-in
 * @param gsWriteCyclesWrgsbase the writes priced as {@code SWAPGS; WRGSBASE; SWAPGS}
 * @param gsWriteCyclesWrmsr the writes priced as {@code WRMSR MSR_KERNEL_GS_BASE}
 * @param gsSwitchLoads GS-base loads of the switch path for the process's threads, in the machine's
 *     regime (paid anyway, not added by the mode)
 * @param gsSwitchLoadCyclesWrgsbase those loads' cycles with FSGSBASE
 * @param gsSwitchLoadCyclesWrmsr those loads' cycles without it
 * @param rseqAborts rseq aborts ({@code Rseq.totalAborts})
 * @param instructions user and kernel-routine instructions retired by all cores
 * @param busyPs CPU time not idle, summed over the CPUs
 * @param drained whether every worker exited after the stop (otherwise the counter check is void)
 * @param opsTotal increments the workers committed, as they counted them (after the drain)
 * @param counterSum the per-cid counters summed (after the drain)
 * @param abortsSeen entries into the program's abort handler (after the drain)
 * @param abortsTotal {@code Rseq.totalAborts} after the drain
 * @param checkViolations violations counted by each enabled checker ({@code CheckKind} id), drain
 *     included
 * @param findings every finding of the run, drain included
 */
public record CidSweepResult(
    String allocator,
    int cpus,
    int threads,
    long seed,
    long simulatedPs,
    int highWater,
    int idsUsed,
    long cidChanges,
    long switchIns,
    long migrations,
    long affinityChanges,
    SortedMap<String, Long> policyFigures,
    long gsWrites,
    long gsWritesAfterSwitchIn,
    long gsWriteCyclesWrgsbase,
    long gsWriteCyclesWrmsr,
    long gsSwitchLoads,
    long gsSwitchLoadCyclesWrgsbase,
    long gsSwitchLoadCyclesWrmsr,
    long rseqAborts,
    long instructions,
    long busyPs,
    boolean drained,
    long opsTotal,
    long counterSum,
    long abortsSeen,
    long abortsTotal,
    SortedMap<String, Long> checkViolations,
    List<Finding> findings) {

  public CidSweepResult {
    Objects.requireNonNull(allocator);
    policyFigures = Collections.unmodifiableSortedMap(new TreeMap<>(policyFigures));
    checkViolations = Collections.unmodifiableSortedMap(new TreeMap<>(checkViolations));
    findings = List.copyOf(findings);
  }

  /** The largest cid any thread held. */
  public int maxCid() {
    return highWater - 1;
  }

  /** Whether the per-cid counters sum exactly to the increments committed (and the run drained). */
  public boolean counterSumExact() {
    return drained && counterSum == opsTotal;
  }

  /** {@code count} per simulated second of the measured time. */
  public double perSecond(long count) {
    return count / Ticks.toSecondsAsDouble(simulatedPs);
  }

  /** A figure of the allocator's own statistics, or 0 if the allocator does not publish it. */
  public long policyFigure(String name) {
    return policyFigures.getOrDefault(name, 0L);
  }
}
