/**
 * Workloads as simulated assembly, per ABI variant, and what measures and checks them.
 *
 * <p>The assembly is in {@code scenarios/src/main/resources/org/vcpusim/scenarios/workloads/}:
 * {@code slab-fast.s} (TCMalloc era-3 Pop/Push, userspace.md §1.5/§6, expanded per {@link
 * org.vcpusim.scenarios.scenario.Abi} by {@code WorkloadSource}), {@code slab-slow.s} (refill and
 * return through central free lists under a {@code lock cmpxchg} spinlock), {@code
 * slab-drain-locked.s} (era-2 header lock + membarrier fence + drain), {@code slab-cached.s}
 * (cached-slab refresh over {@code cpu_id_start}, era-3 stopped flag + fence + drain), {@code
 * percpu-ops.s} (librseq counter, list, spinlock), {@code driver.s} (the per-thread op loop).
 *
 * <p>Runner-facing API: the scenario's {@link org.vcpusim.scenarios.scenario.WorkloadSpec} + {@link
 * org.vcpusim.scenarios.scenario.Abi} + {@link org.vcpusim.scenarios.workload.WorkloadImage.Options}
 * → {@link org.vcpusim.scenarios.workload.WorkloadImage#build}; {@link
 * org.vcpusim.scenarios.workload.WorkloadRun#start} / {@code run} / {@code finish} / {@code check};
 * {@link org.vcpusim.scenarios.workload.OpMeter} for the figures; {@link
 * org.vcpusim.scenarios.workload.Disturbances#schedule} for the injected events.
 */
package org.vcpusim.scenarios.workload;
