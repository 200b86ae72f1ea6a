package org.vcpusim.kernel.task;

import java.util.function.IntConsumer;

/**
 * What kernel subsystems (syscalls, rseq, signals, membarrier, the cid allocators, GS mode) may
 * ask of the machine that runs them. It is deliberately narrow, so a subsystem can be tested with
 * a small fake and cannot reach into the machine's loop.
 */
public interface KernelServices {
  /** The current simulated time in picoseconds. */
  long now();

  /** Number of possible CPUs ({@code nr_cpu_ids}). */
  int nrCpuIds();

  /**
   * The core clock in Hz, for subsystems that turn a cost in cycles into simulated time (a lock
   * held for so many cycles, for instance).
   */
  long frequencyHz();

  /** The NUMA node of {@code cpu}. */
  int nodeOf(int cpu);

  /** The CPU {@code task} runs on or last ran on. */
  int cpuOf(Task task);

  /** The task currently running user or kernel code on {@code cpu}, or null when idle. */
  Task currentOn(int cpu);

  /** The task with id {@code tid}, or null. */
  Task task(int tid);

  /** The concurrency id the machine's {@code MmCidAllocator} gives {@code task} now. */
  int mmCid(Task task);

  /**
   * Sends an inter-processor interrupt: after the profile's IPI latency, {@code handler} runs on
   * {@code cpu} at its next instruction boundary with that CPU's number as argument; the target
   * then goes through the return-to-user path if it was running user code.
   */
  void sendIpi(int cpu, IntConsumer handler);

  /** Charges {@code cycles} of kernel work on {@code cpu} under a cycle-stack category. */
  void charge(int cpu, long cycles, CostCategory category);

  /** Adds {@code delta} to the machine counter {@code name} (dotted, e.g. "rseq.abort.preempt"). */
  void count(String name, long delta);

  /**
   * Kills {@code process} (every thread) because of {@code signal}, recording a finding with the
   * reason, as the default action of a fatal signal does.
   */
  void killProcess(Process process, int signal, String reason);

  /** Where subsystems report the events of {@link KernelEventListener}; by default nowhere. */
  default KernelEventListener events() {
    return KernelEventListener.NONE;
  }
}
