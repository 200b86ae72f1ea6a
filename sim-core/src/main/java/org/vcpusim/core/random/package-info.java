/**
 * Named, seeded random streams whose values depend only on (run seed, stream name): {@link
 * org.vcpusim.core.random.RandomStreams} and {@link org.vcpusim.core.random.RandomStream}.
 */
package org.vcpusim.core.random;
