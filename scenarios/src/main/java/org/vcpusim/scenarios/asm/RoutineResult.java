package org.vcpusim.scenarios.asm;

/**
 * What a {@link RoutineRunner} run produced: a {@link RoutineReport} when every call returned, or
 * a {@link RoutineStopped} when the routine did something the one-thread, kernel-less process
 * cannot continue from (a syscall, a fault, breaking the driver's registers, no return).
 */
public sealed interface RoutineResult permits RoutineReport, RoutineStopped {}
