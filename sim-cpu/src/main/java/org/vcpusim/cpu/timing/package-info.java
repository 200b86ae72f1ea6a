/**
 * The dataflow (out-of-order-lite) cost model: {@link
 * org.vcpusim.cpu.timing.DataflowTimingModel} turns each core's retired instructions into cycles
 * from register and flag ready times, issue width, load/store ports, store-to-load forwarding, the
 * caches of {@link org.vcpusim.cpu.cache.MemorySystem}, branch prediction and serializing
 * instructions (userspace.md §7).
 */
package org.vcpusim.cpu.timing;
