/**
 * Run statistics under dotted names, exported as deterministic JSON: {@link
 * org.vcpusim.core.stats.StatsRegistry}.
 */
package org.vcpusim.core.stats;
