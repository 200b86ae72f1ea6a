/**
 * The simulated machine's shape as the kernel sees it: {@link org.vcpusim.kernel.topology.CpuMask}
 * (the immutable CPU set behind affinity masks, cpusets and topology spans) and {@link
 * org.vcpusim.kernel.topology.CpuTopology} (sockets, cores, SMT siblings, NUMA nodes, LLC spans).
 * Kept apart from {@code org.vcpusim.kernel.machine}, which builds on the scheduler that uses these
 * types, so that the two packages do not form a cycle.
 */
package org.vcpusim.kernel.topology;
