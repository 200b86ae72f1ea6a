/**
 * Tasks and processes as every kernel layer sees them, the pending-work bits, the cycle-stack
 * categories, and {@link org.vcpusim.kernel.task.KernelServices}, the narrow interface through
 * which subsystems ask the machine for things.
 */
package org.vcpusim.kernel.task;
