/** Simulated time: picosecond ticks and their conversions ({@link org.vcpusim.core.time.Ticks}). */
package org.vcpusim.core.time;
