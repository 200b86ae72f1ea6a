package org.vcpusim.kernel.task;

import java.util.Objects;
import org.vcpusim.cpu.exec.ThreadContext;

/**
 * A thread ({@code struct task_struct}): its id, its process, and its user register context,
 * which the machine attaches to a core while the task runs (by reference: no copy on switch).
 *
 * <p>Scheduling state lives in the scheduler ({@code SchedTask}, same id); per-task state of other
 * subsystems (rseq registration, signal mask and pending set, cid) lives in those subsystems,
 * indexed by {@link #tid()}. What is kept here is what every layer needs: the context and the
 * pending-work bits the return-to-user path tests ({@link TaskWork}).
 *
 * <p><b>Caveats:</b> not thread-safe; owned by one machine.
 */
public final class Task {
  private final int tid;
  private final Process process;
  private final ThreadContext context;
  private final String name;
  private int work;
  private boolean exited;
  private long exitCode;

  public Task(int tid, Process process, ThreadContext context, String name) {
    this.tid = tid;
    this.process = Objects.requireNonNull(process);
    this.context = Objects.requireNonNull(context);
    this.name = Objects.requireNonNull(name);
  }

  /** Thread id: unique in the machine, dense from 1, the scheduler's task id too. */
  public int tid() {
    return tid;
  }

  public Process process() {
    return process;
  }

  /** The user register context (RIP, GPRs, flags, FS and GS base). */
  public ThreadContext context() {
    return context;
  }

  public String name() {
    return name;
  }

  /** Sets pending-work bits ({@link TaskWork}). */
  public void setWork(int bits) {
    work |= bits;
  }

  /** Clears pending-work bits. */
  public void clearWork(int bits) {
    work &= ~bits;
  }

  /** True when any of {@code bits} is pending. */
  public boolean hasWork(int bits) {
    return (work & bits) != 0;
  }

  /** All pending-work bits. */
  public int work() {
    return work;
  }

  public boolean hasExited() {
    return exited;
  }

  public long exitCode() {
    return exitCode;
  }

  /** Marks the task as exited with {@code code}. */
  public void markExited(long code) {
    exited = true;
    exitCode = code;
  }

  @Override
  public String toString() {
    return "task " + tid + " (" + name + ", pid " + process.pid() + ")";
  }
}
