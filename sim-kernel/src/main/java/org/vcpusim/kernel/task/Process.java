package org.vcpusim.kernel.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.vcpusim.cpu.exec.DecodedProgram;
import org.vcpusim.cpu.mem.AddressSpace;

/**
 * A process: one memory space ({@code struct mm_struct}) and its thread group. The mm owns the
 * address space and the program its threads execute; per-mm state of kernel subsystems (the
 * concurrency-id allocator's, the GS mode's, membarrier registration) lives in those subsystems,
 * keyed by {@link #pid()}, so that this class depends on none of them.
 *
 * <p><b>Caveats:</b> not thread-safe; owned by one machine.
 */
public final class Process {
  private final int pid;
  private final String name;
  private AddressSpace addressSpace;
  private DecodedProgram program;
  private final List<Task> threads = new ArrayList<>();
  private boolean exited;
  private String exitReason;

  public Process(int pid, String name, AddressSpace addressSpace, DecodedProgram program) {
    this.pid = pid;
    this.name = Objects.requireNonNull(name);
    this.addressSpace = Objects.requireNonNull(addressSpace);
    this.program = Objects.requireNonNull(program);
  }

  /** Process id (the thread-group id). */
  public int pid() {
    return pid;
  }

  public String name() {
    return name;
  }

  public AddressSpace addressSpace() {
    return addressSpace;
  }

  /** The program every thread of the process executes. */
  public DecodedProgram program() {
    return program;
  }

  /** Replaces the memory image, as {@code execve} does. */
  public void replaceImage(AddressSpace newSpace, DecodedProgram newProgram) {
    this.addressSpace = Objects.requireNonNull(newSpace);
    this.program = Objects.requireNonNull(newProgram);
  }

  /** Every thread ever created in the process, in creation order (exited ones included). */
  public List<Task> threads() {
    return Collections.unmodifiableList(threads);
  }

  /** Threads that have not exited (the mm's {@code users} in mm_cid terms). */
  public int liveThreads() {
    int n = 0;
    for (Task t : threads) {
      n += t.hasExited() ? 0 : 1;
    }
    return n;
  }

  /** Called by the machine when it creates a thread of this process. */
  public void addThread(Task task) {
    if (task.process() != this) {
      throw new IllegalArgumentException(task + " is not a thread of " + this);
    }
    threads.add(task);
  }

  public boolean hasExited() {
    return exited;
  }

  /** Why the process ended (e.g. "exit_group(0)", "SIGSEGV at 0x401020"), or null. */
  public String exitReason() {
    return exitReason;
  }

  /** Marks the whole thread group as gone. */
  public void markExited(String reason) {
    exited = true;
    exitReason = reason;
  }

  @Override
  public String toString() {
    return "process " + pid + " (" + name + ")";
  }
}
