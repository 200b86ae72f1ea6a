/**
 * The event engine: {@link org.vcpusim.core.event.EventQueue} (pending events as {@code int}
 * handles, ordered by tick, {@link org.vcpusim.core.event.EventPriority} and scheduling order), the
 * {@link org.vcpusim.core.event.EventHandler} callback and the {@link
 * org.vcpusim.core.event.Simulation} run loop.
 */
package org.vcpusim.core.event;
