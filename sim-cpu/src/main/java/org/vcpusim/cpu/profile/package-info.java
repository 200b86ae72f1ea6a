/**
 * CPU profiles: every figure of the cost model (pipeline widths, latencies, cache geometry,
 * feature bits, kernel costs) as data files in {@code src/main/resources/profiles}, each figure
 * with its source (userspace.md §5 and §7, kernel.md §5.4).
 */
package org.vcpusim.cpu.profile;
