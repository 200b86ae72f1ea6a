/**
 * Memory maps of processes: reserved ranges ({@link org.vcpusim.kernel.mm.VmAreas}), anonymous
 * private {@code mmap}/{@code munmap}/{@code mprotect} ({@link org.vcpusim.kernel.mm.MemoryMaps},
 * {@link org.vcpusim.kernel.mm.MmapSyscalls}).
 */
package org.vcpusim.kernel.mm;
