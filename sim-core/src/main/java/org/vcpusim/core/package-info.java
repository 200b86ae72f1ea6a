/** Simulated time, the event queue and loop, seeded random streams, statistics and trace sinks. */
package org.vcpusim.core;
