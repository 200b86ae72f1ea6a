/**
 * {@code vcpusim asm}: one routine of an assembly file run in a glibc-like one-thread process
 * ({@link org.vcpusim.scenarios.asm.ProcessImage}) on one simulated core with the dataflow cost
 * model and caches, N calls by a native-style call loop ({@link
 * org.vcpusim.scenarios.asm.RoutineRunner}), reported per instruction and per call ({@link
 * org.vcpusim.scenarios.asm.RoutineReport}, rendered by {@link
 * org.vcpusim.scenarios.asm.RoutineReportFormat}). No kernel runs: a syscall or a fault ends the
 * run as a {@link org.vcpusim.scenarios.asm.RoutineStopped} result.
 */
package org.vcpusim.scenarios.asm;
