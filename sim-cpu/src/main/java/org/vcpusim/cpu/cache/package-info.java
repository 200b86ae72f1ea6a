/**
 * The cache hierarchy of a simulated machine: per-core L1d and L2, a shared LLC per group of
 * cores, 64-byte lines tagged by address space, true LRU within sets, and MESI-lite coherence so
 * that a line last written by another core costs a cross-core transfer (userspace.md §5.3, §7).
 */
package org.vcpusim.cpu.cache;
