/**
 * Experiments that drive a whole {@link org.vcpusim.kernel.machine.Machine} with a fixed program
 * and return measured figures: the allocator sweep of issue 5 ({@link
 * org.vcpusim.kernel.experiment.CidSweep}: a 64-thread per-vCPU counter in the GS mode,
 * {@link org.vcpusim.kernel.experiment.GsCounterProgram}, under each concurrency-id allocator,
 * figures in {@link org.vcpusim.kernel.experiment.CidSweepResult}). The benchmarks module prints
 * them ({@code benchmarks/run.sh cid-sweep}); a sim-kernel test runs the same experiment briefly.
 */
package org.vcpusim.kernel.experiment;
