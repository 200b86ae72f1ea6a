/** The exit-to-user-mode path: {@link org.vcpusim.kernel.entry.ReturnToUser} and its steps. */
package org.vcpusim.kernel.entry;
