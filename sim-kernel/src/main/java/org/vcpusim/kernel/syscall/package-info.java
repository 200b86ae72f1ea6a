/** System call numbers, errno values, the syscall table and the handler interface. */
package org.vcpusim.kernel.syscall;
