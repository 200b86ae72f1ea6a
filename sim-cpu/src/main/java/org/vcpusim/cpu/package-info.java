/** An x86-64 subset: assembler, address spaces, cores and the dataflow cost model with caches. */
package org.vcpusim.cpu;
