/**
 * The simulated machine's shape as the kernel sees it: {@link org.vcpusim.kernel.machine.CpuMask}
 * (the immutable CPU set behind affinity masks, cpusets and topology spans) and {@link
 * org.vcpusim.kernel.machine.CpuTopology} (sockets, cores, SMT siblings, NUMA nodes, LLC spans).
 */
package org.vcpusim.kernel.machine;
