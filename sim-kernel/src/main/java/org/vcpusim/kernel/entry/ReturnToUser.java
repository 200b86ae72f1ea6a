package org.vcpusim.kernel.entry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The exit-to-user-mode pipeline: the ordered steps that run every time a task goes back to user
 * mode — after a syscall, an interrupt, a preemption, a migration or a signal. The order follows
 * the kernel's {@code exit_to_user_mode_loop()} (kernel/entry/common.c): signal delivery
 * ({@code arch_do_signal_or_restart()}, which fixes up an rseq critical section before it builds
 * the frame), then resume work ({@code resume_user_mode_work()} → {@code rseq_handle_notify_resume()}:
 * critical-section fixup, then the id-field update), then extension steps (the GS-mode population
 * under review plugs in here, after the rseq ids are final).
 *
 * <p>Each step charges its own cost through the kernel services and the pipeline counts how often
 * each ran ({@link #runs(Stage)}).
 *
 * <p><b>Caveats:</b> steps are installed while a machine is built; not thread-safe.
 */
public final class ReturnToUser {
  /** Where a step sits in the pipeline; steps of one stage run in installation order. */
  public enum Stage {
    SIGNAL_DELIVERY,
    RSEQ_CS_FIXUP,
    RSEQ_ID_UPDATE,
    EXTENSION
  }

  /** One step of the pipeline. */
  public interface Step {
    /** A short name for counters and reports, e.g. "rseq_ids". */
    String name();

    /** Runs the step for the task in {@code exit}; may kill it ({@link ExitToUser#kill}). */
    void run(ExitToUser exit);
  }

  private final List<List<Step>> stages = new ArrayList<>();
  private final long[] runs = new long[Stage.values().length];

  public ReturnToUser() {
    for (int i = 0; i < Stage.values().length; i++) {
      stages.add(new ArrayList<>());
    }
  }

  /** Installs {@code step} at the end of {@code stage}. */
  public void install(Stage stage, Step step) {
    stages.get(stage.ordinal()).add(step);
  }

  /** The steps of {@code stage} in order. */
  public List<Step> steps(Stage stage) {
    return Collections.unmodifiableList(stages.get(stage.ordinal()));
  }

  /**
   * Runs every stage in order for {@code exit}; stops early when a step killed the task.
   *
   * @return true when the task may return to user mode, false when it was killed
   */
  public boolean run(ExitToUser exit) {
    for (Stage stage : Stage.values()) {
      List<Step> steps = stages.get(stage.ordinal());
      if (steps.isEmpty()) {
        continue;
      }
      runs[stage.ordinal()]++;
      for (int i = 0; i < steps.size(); i++) {
        steps.get(i).run(exit);
        if (exit.killed()) {
          return false;
        }
      }
    }
    return true;
  }

  /** How many times the steps of {@code stage} ran. */
  public long runs(Stage stage) {
    return runs[stage.ordinal()];
  }
}
