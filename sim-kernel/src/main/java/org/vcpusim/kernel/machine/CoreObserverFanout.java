package org.vcpusim.kernel.machine;

import java.util.Arrays;
import java.util.Objects;
import org.vcpusim.cpu.exec.Core;
import org.vcpusim.cpu.exec.CoreObserver;
import org.vcpusim.cpu.exec.ExecutionRecord;
import org.vcpusim.cpu.isa.Segment;

/**
 * Several {@link CoreObserver}s on one core (a core holds one): passes every callback to each in
 * the order they were added. {@link Machine#addCoreObserver} installs one only when a core gets
 * its second observer, so a core with one observer calls it directly and a core with none keeps
 * the interpreter's null-check fast path.
 *
 * <p><b>Caveats:</b> not thread-safe; observers are added before or between runs.
 */
final class CoreObserverFanout implements CoreObserver {
  private CoreObserver[] observers;

  CoreObserverFanout(CoreObserver first, CoreObserver second) {
    observers = new CoreObserver[] {Objects.requireNonNull(first), Objects.requireNonNull(second)};
  }

  void add(CoreObserver observer) {
    observers = Arrays.copyOf(observers, observers.length + 1);
    observers[observers.length - 1] = Objects.requireNonNull(observer);
  }

  @Override
  public void onMemoryAccess(
      Core core, long address, int size, boolean write, Segment segment, long rip) {
    for (CoreObserver o : observers) {
      o.onMemoryAccess(core, address, size, write, segment, rip);
    }
  }

  @Override
  public void onRetire(Core core, ExecutionRecord record) {
    for (CoreObserver o : observers) {
      o.onRetire(core, record);
    }
  }
}
