package org.vcpusim.benchmarks;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.vcpusim.core.event.EventHandler;
import org.vcpusim.core.event.EventPriority;
import org.vcpusim.core.event.EventQueue;
import org.vcpusim.core.event.Simulation;
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;

/**
 * The hold model (Jones, CACM 29(4), 1986; ns-3 bench-scheduler): the queue holds {@code pending}
 * events in steady state and each operation pops the earliest event and schedules one at
 * now + U[1,1000] ticks. Throughput mode, so the score is events per second.
 *
 * <p>Implementations, each driven through its own API and reusing its event objects:
 *
 * <ul>
 *   <li>{@code simulation}: vcpusim's {@link Simulation#runEvents} loop; one handler, shared by
 *       all events, schedules the fired event again (pop, clock update, dispatch, schedule);
 *   <li>{@code eventQueue}: vcpusim's {@link EventQueue} alone, {@code pop} then {@code schedule};
 *   <li>{@code ssj}: SSJ 3.3.2's executive with its default event list ({@code new Simulator()},
 *       a SplayTree): {@code Simulator.start()} runs events whose {@code actions()} call {@code
 *       schedule(delay)} on themselves (SSJ allows rescheduling a fired event) and, after the
 *       batch, {@code Simulator.stop()};
 *   <li>{@code priorityQueue}: {@link java.util.PriorityQueue} of objects keyed (long time, long
 *       sequence), {@code poll} then {@code add} of the same object;
 *   <li>{@code quaternaryHeap}: {@link QuaternaryHeapQueue}, the 4-ary heap that EventQueue's
 *       radix heap was chosen against.
 * </ul>
 *
 * Every implementation takes its increments from one pre-generated ring of U[1,1000] values
 * (fixed seed), so random-number cost and sequence are identical; each invocation runs a batch of
 * {@value #BATCH} operations (reported per operation), the way a run loop executes events. Only
 * SSJ allocates per operation (a SplayTree entry per insertion), which is part of what it costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 5, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineHoldBenchmark {

  /** Hold operations per benchmark invocation. */
  static final int BATCH = 1_000;

  private static final int RING_SIZE = 1 << 14;
  private static final long RING_SEED = 0x5EEDL;

  /** Events pending in steady state. */
  @Param({"16", "1000", "100000"})
  public int pending;

  private int[] increments;
  private int cursor;

  private EventQueue queue;
  private Simulation simulation;
  private Simulator ssj;
  private int ssjRemaining;
  private PriorityQueue<TimedEntry> priorityQueue;
  private long priorityQueueSequence;
  private QuaternaryHeapQueue quaternary;

  /** Builds the increment ring and only the structure the running benchmark method uses. */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    SplittableRandom random = new SplittableRandom(RING_SEED);
    increments = new int[RING_SIZE];
    for (int i = 0; i < RING_SIZE; i++) {
      increments[i] = 1 + random.nextInt(1_000);
    }
    String benchmark = params.getBenchmark();
    String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
    switch (method) {
      case "simulation", "eventQueue" -> setUpVcpusim();
      case "ssj" -> setUpSsj();
      case "priorityQueue" -> setUpPriorityQueue();
      case "quaternaryHeap" -> setUpQuaternary();
      default -> throw new IllegalStateException("no set-up for " + method);
    }
  }

  private int nextIncrement() {
    int i = cursor;
    cursor = (i + 1) & (RING_SIZE - 1);
    return increments[i];
  }

  private void setUpVcpusim() {
    queue = new EventQueue(pending);
    simulation = new Simulation(queue);
    // One handler shared by every event, as a component registers one handler for its events.
    EventHandler hold = (tick, self, payload) -> queue.schedule(self, tick + nextIncrement());
    for (int i = 0; i < pending; i++) {
      int event = queue.newEvent(hold, EventPriority.DEFAULT, i);
      queue.schedule(event, nextIncrement());
    }
  }

  private void setUpSsj() {
    ssj = new Simulator();
    ssj.init();
    for (int i = 0; i < pending; i++) {
      new HoldEvent(ssj, this).schedule(nextIncrement());
    }
  }

  private void setUpPriorityQueue() {
    priorityQueue = new PriorityQueue<>(pending);
    for (int i = 0; i < pending; i++) {
      priorityQueue.add(new TimedEntry(nextIncrement(), priorityQueueSequence++));
    }
  }

  private void setUpQuaternary() {
    quaternary = new QuaternaryHeapQueue();
    for (int i = 0; i < pending; i++) {
      quaternary.schedule(quaternary.newHandle(i), nextIncrement());
    }
  }

  /** The 4-ary heap baseline. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long quaternaryHeap() {
    QuaternaryHeapQueue q = quaternary;
    for (int i = 0; i < BATCH; i++) {
      int event = q.pop();
      q.schedule(event, q.now() + nextIncrement());
    }
    return q.now();
  }

  /** vcpusim: the full run loop with handler dispatch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long simulation() {
    simulation.runEvents(BATCH);
    return simulation.now();
  }

  /** vcpusim: the event queue alone. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long eventQueue() {
    EventQueue q = queue;
    for (int i = 0; i < BATCH; i++) {
      int event = q.pop();
      q.schedule(event, q.now() + nextIncrement());
    }
    return q.now();
  }

  /** SSJ 3.3.2: default Simulator (SplayTree event list). */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public double ssj() {
    ssjRemaining = BATCH;
    ssj.start();
    return ssj.time();
  }

  /** java.util.PriorityQueue of (time, sequence) objects. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long priorityQueue() {
    PriorityQueue<TimedEntry> pq = priorityQueue;
    TimedEntry entry = null;
    for (int i = 0; i < BATCH; i++) {
      entry = pq.poll();
      entry.time += nextIncrement();
      entry.sequence = priorityQueueSequence++;
      pq.add(entry);
    }
    return entry.time;
  }

  /** An SSJ event that schedules itself again and stops the executive after each batch. */
  static final class HoldEvent extends Event {
    private final EngineHoldBenchmark bench;

    HoldEvent(Simulator simulator, EngineHoldBenchmark bench) {
      super(simulator);
      this.bench = bench;
    }

    @Override
    public void actions() {
      schedule(bench.nextIncrement());
      if (--bench.ssjRemaining == 0) {
        simulator().stop();
      }
    }
  }

  /** A PriorityQueue element ordered by (time, sequence). */
  static final class TimedEntry implements Comparable<TimedEntry> {
    long time;
    long sequence;

    TimedEntry(long time, long sequence) {
      this.time = time;
      this.sequence = sequence;
    }

    @Override
    public int compareTo(TimedEntry other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }
}
