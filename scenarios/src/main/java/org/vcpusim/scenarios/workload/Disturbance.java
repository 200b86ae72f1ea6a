package org.vcpusim.scenarios.workload;

/**
 * One scheduled disturbance: at {@code tick} (ps), do {@code kind} to worker {@code thread};
 * {@code arg} is the sleep length in ns ({@link DisturbanceKind#SLEEP}), the id to drain ({@link
 * DisturbanceKind#DRAIN}) or a random word choosing the CPU ({@link DisturbanceKind#AFFINITY}).
 */
public record Disturbance(long tick, int thread, DisturbanceKind kind, long arg) {}
