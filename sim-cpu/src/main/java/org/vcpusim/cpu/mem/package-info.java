/**
 * Simulated process memory: sparse paged {@link org.vcpusim.cpu.mem.AddressSpace}s with
 * permissions and a software TLB, fault reporting without exceptions, and the {@link
 * org.vcpusim.cpu.mem.Loader} that maps an assembled program.
 */
package org.vcpusim.cpu.mem;
