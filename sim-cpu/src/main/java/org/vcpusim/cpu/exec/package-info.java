/**
 * Functional execution of the x86-64 subset: {@link org.vcpusim.cpu.exec.ThreadContext} (the
 * registers of one thread), {@link org.vcpusim.cpu.exec.Core} (the interpreter, one instruction at
 * a time or in run loops, with traps for faults and syscalls), {@link
 * org.vcpusim.cpu.exec.DecodedProgram} (a program prepared for it), {@link
 * org.vcpusim.cpu.exec.CpuFeatures}, {@link org.vcpusim.cpu.exec.Trap}, and the hooks through which
 * the cost model ({@link org.vcpusim.cpu.exec.TimingModel}, {@link
 * org.vcpusim.cpu.exec.ExecutionRecord}) and checkers ({@link org.vcpusim.cpu.exec.CoreObserver})
 * see each retired instruction.
 */
package org.vcpusim.cpu.exec;
