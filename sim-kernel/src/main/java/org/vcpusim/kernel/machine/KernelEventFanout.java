package org.vcpusim.kernel.machine;

import java.util.ArrayList;
import java.util.List;
import org.vcpusim.kernel.task.KernelEventListener;
import org.vcpusim.kernel.task.Task;

/**
 * The machine's {@link KernelEventListener}: passes every event to each listener in the order they
 * were added. With no listener an event costs one empty loop.
 *
 * <p><b>Caveats:</b> not thread-safe; listeners are added before or between runs.
 */
final class KernelEventFanout implements KernelEventListener {
  private final List<KernelEventListener> listeners = new ArrayList<>();

  void add(KernelEventListener listener) {
    listeners.add(java.util.Objects.requireNonNull(listener));
  }

  @Override
  public void rseqAbort(long tick, int cpu, Task task, String cause, long ip, long abortIp) {
    for (int i = 0; i < listeners.size(); i++) {
      listeners.get(i).rseqAbort(tick, cpu, task, cause, ip, abortIp);
    }
  }

  @Override
  public void cidChanged(long tick, int cpu, Task task, int oldCid, int newCid) {
    for (int i = 0; i < listeners.size(); i++) {
      listeners.get(i).cidChanged(tick, cpu, task, oldCid, newCid);
    }
  }

  @Override
  public void gsBaseWritten(long tick, int cpu, Task task, long oldBase, long newBase, long cycles,
      String kind) {
    for (int i = 0; i < listeners.size(); i++) {
      listeners.get(i).gsBaseWritten(tick, cpu, task, oldBase, newBase, cycles, kind);
    }
  }
}
