package org.vcpusim.cpu.cache;

/**
 * A snapshot of one core's cache counters in a {@link MemorySystem}. Counts are of cache-line
 * accesses (a line-crossing access counts twice); prefetches are counted only in {@link
 * #prefetches}.
 *
 * @param core the core
 * @param l1Hits accesses served by the L1d
 * @param l1Misses accesses that missed the L1d
 * @param l2Hits accesses served by the L2
 * @param l2Misses accesses that missed the L2
 * @param llcHits accesses served by the shared LLC
 * @param llcMisses accesses that missed the LLC
 * @param remoteCore accesses served by (or that had to invalidate) another core's copy
 * @param dram accesses served by memory
 * @param transfers accesses that involved another core's copy (remoteCore plus those by prefetch)
 * @param invalidations lines this core lost because another core wrote them
 * @param prefetches prefetch instructions issued
 */
public record CacheStatistics(
    int core,
    long l1Hits,
    long l1Misses,
    long l2Hits,
    long l2Misses,
    long llcHits,
    long llcMisses,
    long remoteCore,
    long dram,
    long transfers,
    long invalidations,
    long prefetches) {}
