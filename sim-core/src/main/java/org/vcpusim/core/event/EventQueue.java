package org.vcpusim.core.event;

import java.util.Arrays;
import java.util.NoSuchElementException;

/**
 * The pending-event set of a simulation: events ordered by (tick, priority, sequence), where the
 * sequence is the order in which events were scheduled, so events with equal tick and priority
 * run first-in first-out (the SST and ns-3 rule; gem5 is LIFO within a bin, reference/anchors.md
 * section 3.2).
 *
 * <h2>Events are handles</h2>
 *
 * An event is an {@code int} handle into primitive arrays, created once by its owner with
 * {@link #newEvent} (its handler, priority and payload) and then scheduled, cancelled and
 * rescheduled any number of times, as gem5 events are. Popping an event does not release it; the
 * owner releases it with {@link #release} when it will never be used again, and the handle is then
 * recycled. Scheduling, cancelling, rescheduling and popping allocate nothing (arrays grow by
 * doubling when more events are pending than ever before).
 *
 * <h2>Ordering rules</h2>
 *
 * <ul>
 *   <li>{@link #now()} is the tick of the last popped event (or the tick given to {@link
 *       #advanceTo}); scheduling before it throws, scheduling at it is allowed, and the new event
 *       is ordered by its priority and sequence among the events still pending at that tick;
 *   <li>every {@link #schedule} and {@link #reschedule} takes a fresh sequence number, so a
 *       rescheduled event runs after the events already pending at the same tick and priority;
 *   <li>a priority is fixed while the event is pending (change it with {@link #setPriority} when it
 *       is not).
 * </ul>
 *
 * <h2>Algorithm: radix heap with an ordered bin for the current tick</h2>
 *
 * Because no event is ever scheduled before {@code now}, the queue is monotone and a radix heap
 * applies (Ahuja, Mehlhorn, Orlin, Tarjan, "Faster algorithms for the shortest path problem",
 * JACM 37(2), 1990; the 64-bucket form for integer keys). A base tick {@code b <= now} is kept;
 * bucket {@code k >= 1} holds the pending events whose tick {@code t} differs from {@code b} first
 * in bit {@code k - 1}, i.e. {@code k = 64 - nlz(t ^ b)}, as unordered parallel arrays of (tick,
 * handle). Bucket 0, the events with {@code t == b}, is a binary heap on the packed key
 * {@code (priority + 128) << 55 | sequence}, which gives the (priority, sequence) order among
 * events of one tick. Insert computes the bucket with one XOR and one leading-zero count and
 * appends. When bucket 0 is empty, pop takes the lowest non-empty bucket (a 64-bit occupancy mask
 * and one trailing-zero count) and its minimum tick (kept per bucket on insert, rescanned only
 * after a cancel removed it), makes that tick the new base and redistributes the bucket's events
 * into strictly lower buckets (a bucket of one event is popped directly); each event therefore
 * moves at most 63 times and in practice a few times (about log2 of its distance from {@code
 * now}). A
 * per-handle location word {@code bucket << 25 | index} makes cancel O(1) in buckets 1..63 (swap
 * with the bucket's last element). Positions inside bucket 0 are deliberately not tracked: with
 * many events on one tick, every heap step would otherwise write the location of a random handle;
 * cancelling an event due at the current tick therefore scans bucket 0, O(events at this tick).
 *
 * <p>Chosen by measurement against a 4-ary heap on primitive arrays with inline keys and
 * per-handle positions (the structure anchors.md section 3.3 recommends; {@code
 * benchmarks/.../QuaternaryHeapQueue}), in the hold model: pop the earliest event, schedule it
 * again a random increment later. Thread CPU time per operation, median of 11 x 2 M operations,
 * both structures in one JVM ({@code benchmarks/.../QueueStructureComparison}; 2-vCPU AMD EPYC,
 * OpenJDK 17.0.15, machine shared with other jobs):
 *
 * <pre>
 * increments               pending   radix heap          4-ary heap
 * U[1,1000] ticks               16   38 ns (26 M/s)      32 ns (31 M/s)
 *                            1,000   44 ns (23 M/s)      98 ns (10 M/s)
 *                          100,000   66 ns (15 M/s)     198 ns (5.1 M/s)
 * 80% +1..5 ns, 20% +1 ms       16   19 ns (53 M/s)      22 ns (46 M/s)
 *                               64   22 ns (47 M/s)      31 ns (33 M/s)
 *                              256   32 ns (31 M/s)      47 ns (21 M/s)
 * </pre>
 *
 * The radix heap is 2.2x faster at 1,000 pending and 3x at 100,000; the 4-ary heap is ~15%
 * faster only for a tiny queue with narrow increments, and not with picosecond-scale increments,
 * where the radix heap wins from 64 pending on. JMH wall-clock runs of the same pair (5 forks x 5
 * iterations) agree at 1,000 and 100,000 pending (2.4x-3x and 1.7x-4.4x) but, with other jobs on
 * both cores, swing by 2x between runs at 16. A calendar or ladder queue was not built: its O(1)
 * hold time needs bucket-width tuning to the increment distribution (Brown 1988; Tang, Goh and
 * Thng 2005), while the radix heap needs none and already meets the throughput targets.
 *
 * <p><b>Caveats</b>
 *
 * <ul>
 *   <li>Not thread-safe: one queue belongs to one simulation run and is used by one thread.
 *   <li>A released handle is recycled by a later {@link #newEvent}; using a handle after releasing
 *       it is detected only until it is recycled, after which it names the new event.
 *   <li>{@link #peekTick()} scans one bucket when bucket 0 is empty (no side effects, O(bucket));
 *       the run loop uses {@link #poll(long)} instead, which does not pay for it twice.
 *   <li>Cancelling or rescheduling an event due at the current tick costs O(events at this tick).
 *   <li>At most 2^25 (33,554,432) live handles, and 2^55 schedule operations per queue.
 * </ul>
 */
public final class EventQueue {

  /** Returned by {@link #poll(long)} when no event is due. */
  public static final int NONE = -1;

  /** Largest number of live (created and not released) events. */
  public static final int MAX_EVENTS = 1 << 25;

  /** Location of a live event that is not pending. */
  private static final int IDLE = -1;
  /** Location of a released handle. */
  private static final int RELEASED = -2;
  /** Location of an event in the due heap (bucket 0), whose index there is not tracked. */
  private static final int DUE = 0;

  private static final int INDEX_BITS = 25;
  private static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
  private static final int BUCKETS = 64;

  private static final int PRIORITY_SHIFT = 55;
  private static final long SEQUENCE_MASK = (1L << PRIORITY_SHIFT) - 1;
  private static final int INITIAL_BUCKET_CAPACITY = 8;

  // Per handle. orderKeys[e] = (priority - MINIMUM) << PRIORITY_SHIFT | sequence of the last
  // schedule; the priority bits are kept while the event is idle. locations[e] is IDLE, RELEASED,
  // DUE, or bucket << INDEX_BITS | index for buckets 1..63.
  private EventHandler[] handlers;
  private long[] payloads;
  private long[] orderKeys;
  private int[] locations;
  private int handleCount;
  private int[] freeHandles;
  private int freeCount;

  // Buckets 1..63: unordered (tick, handle) pairs. Index 0 of these arrays is unused.
  private final long[][] bucketTicks = new long[BUCKETS][];
  private final int[][] bucketHandles = new int[BUCKETS][];
  private final int[] bucketSizes = new int[BUCKETS];
  /** Smallest tick appended to each bucket since it was last empty (a lower bound after cancels). */
  private final long[] bucketMins = new long[BUCKETS];
  /** Bit k is set iff bucket k (k >= 1) is non-empty. */
  private long occupiedBuckets;
  /** Bit k is set iff a cancel removed bucket k's minimum, so bucketMins[k] may be too low. */
  private long inexactMins;

  // Bucket 0: binary min-heap on orderKeys of the events whose tick == base.
  private long[] dueKeys;
  private int[] dueHandles;
  private int dueCount;

  /** Radix base: every pending tick is >= base, and base <= now. */
  private long base;
  private long now;
  private long nextSequence;
  private int size;

  /** An empty queue at tick 0. */
  public EventQueue() {
    this(64);
  }

  /** An empty queue at tick 0, sized for {@code expectedEvents} live events. */
  public EventQueue(int expectedEvents) {
    if (expectedEvents < 1 || expectedEvents > MAX_EVENTS) {
      throw new IllegalArgumentException("expectedEvents must be in [1, " + MAX_EVENTS + "]: "
          + expectedEvents);
    }
    handlers = new EventHandler[expectedEvents];
    payloads = new long[expectedEvents];
    orderKeys = new long[expectedEvents];
    locations = new int[expectedEvents];
    freeHandles = new int[16];
    Arrays.fill(bucketMins, Long.MAX_VALUE);
    dueKeys = new long[INITIAL_BUCKET_CAPACITY];
    dueHandles = new int[INITIAL_BUCKET_CAPACITY];
  }

  // ---------------------------------------------------------------------------------------------
  // Event lifecycle

  /** Creates an idle event with payload 0; see {@link #newEvent(EventHandler, int, long)}. */
  public int newEvent(EventHandler handler, int priority) {
    return newEvent(handler, priority, 0L);
  }

  /**
   * Creates an idle (not pending) event and returns its handle.
   *
   * @param handler called each time the event fires
   * @param priority order among events of the same tick, lower first; see {@link EventPriority}
   * @param payload a value handed to the handler, e.g. a CPU or task number
   */
  public int newEvent(EventHandler handler, int priority, long payload) {
    if (handler == null) {
      throw new NullPointerException("handler");
    }
    checkPriority(priority);
    int event;
    if (freeCount > 0) {
      event = freeHandles[--freeCount];
    } else {
      if (handleCount == MAX_EVENTS) {
        throw new IllegalStateException("more than " + MAX_EVENTS + " live events");
      }
      event = handleCount++;
      if (event == handlers.length) {
        growHandles();
      }
    }
    handlers[event] = handler;
    payloads[event] = payload;
    orderKeys[event] = priorityBits(priority);
    locations[event] = IDLE;
    return event;
  }

  /**
   * Releases an event: cancels it if it is pending and makes its handle available for reuse.
   *
   * @throws IllegalArgumentException if {@code event} is not a live handle
   */
  public void release(int event) {
    int location = liveLocation(event);
    if (location >= 0) {
      unlink(event, location);
      size--;
    }
    locations[event] = RELEASED;
    handlers[event] = null;
    if (freeCount == freeHandles.length) {
      freeHandles = Arrays.copyOf(freeHandles, freeCount * 2);
    }
    freeHandles[freeCount++] = event;
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduling

  /**
   * Makes an idle event pending at {@code tick}.
   *
   * @throws IllegalStateException if the event is already pending
   * @throws IllegalArgumentException if {@code tick < now()} or the handle is not live
   */
  public void schedule(int event, long tick) {
    int location = liveLocation(event);
    if (location != IDLE) {
      throw new IllegalStateException("event " + event + " is already scheduled at tick "
          + tickAt(location) + "; use reschedule");
    }
    checkNotPast(tick);
    insert(event, tick);
  }

  /** {@link #schedule(int, long)} at {@code now() + delay}. */
  public void scheduleIn(int event, long delay) {
    if (delay < 0) {
      throw new IllegalArgumentException("delay must be >= 0: " + delay);
    }
    schedule(event, Math.addExact(now, delay));
  }

  /**
   * Makes an event pending at {@code tick}, whether or not it is pending now. It takes a fresh
   * sequence number, so it runs after the events already pending at the same tick and priority.
   *
   * @throws IllegalArgumentException if {@code tick < now()} or the handle is not live
   */
  public void reschedule(int event, long tick) {
    int location = liveLocation(event);
    checkNotPast(tick);
    if (location >= 0) {
      unlink(event, location);
      size--;
    }
    insert(event, tick);
  }

  /**
   * Removes a pending event from the queue; the event stays live and can be scheduled again.
   *
   * @return whether the event was pending
   * @throws IllegalArgumentException if the handle is not live
   */
  public boolean cancel(int event) {
    int location = liveLocation(event);
    if (location < 0) {
      return false;
    }
    unlink(event, location);
    size--;
    locations[event] = IDLE;
    return true;
  }

  /**
   * Sets the clock forward to {@code tick} without running anything.
   *
   * @throws IllegalArgumentException if {@code tick < now()} or a pending event is earlier than
   *     {@code tick}
   */
  public void advanceTo(long tick) {
    checkNotPast(tick);
    if (size > 0 && tick > peekTick()) {
      throw new IllegalArgumentException("cannot advance to " + tick
          + " past the pending event at " + peekTick());
    }
    now = tick;
  }

  // ---------------------------------------------------------------------------------------------
  // Removal in order

  /**
   * Removes the earliest event, sets {@link #now()} to its tick and returns its handle. The event
   * stays live (idle) and can be scheduled again.
   *
   * @throws NoSuchElementException if the queue is empty
   */
  public int pop() {
    int event = poll(Long.MAX_VALUE);
    if (event == NONE) {
      throw new NoSuchElementException("no pending events");
    }
    return event;
  }

  /**
   * Removes the earliest event if its tick is at most {@code lastTick}, as {@link #pop()} does;
   * otherwise changes nothing and returns {@link #NONE}.
   */
  public int poll(long lastTick) {
    if (dueCount == 0) {
      if (size == 0) {
        return NONE;
      }
      int bucket = Long.numberOfTrailingZeros(occupiedBuckets);
      long earliest = minTick(bucket);
      if (earliest > lastTick) {
        return NONE;
      }
      if (bucketSizes[bucket] == 1) {
        return popSingleton(bucket, earliest);
      }
      redistribute(bucket, earliest);
    } else if (base > lastTick) {
      return NONE;
    }
    int event = dueHandles[0];
    removeDueAt(0);
    locations[event] = IDLE;
    size--;
    now = base;
    return event;
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  /** The current tick: that of the last popped event, or the last {@link #advanceTo}. */
  public long now() {
    return now;
  }

  /** Number of pending events. */
  public int size() {
    return size;
  }

  /** Whether no event is pending. */
  public boolean isEmpty() {
    return size == 0;
  }

  /**
   * The tick of the earliest pending event.
   *
   * @throws NoSuchElementException if the queue is empty
   */
  public long peekTick() {
    if (dueCount > 0) {
      return base;
    }
    if (size == 0) {
      throw new NoSuchElementException("no pending events");
    }
    return minTick(Long.numberOfTrailingZeros(occupiedBuckets));
  }

  /** Whether a live event is pending. */
  public boolean isScheduled(int event) {
    return liveLocation(event) >= 0;
  }

  /**
   * The tick a pending event is scheduled for.
   *
   * @throws IllegalStateException if the event is not pending
   */
  public long when(int event) {
    int location = liveLocation(event);
    if (location < 0) {
      throw new IllegalStateException("event " + event + " is not scheduled");
    }
    return tickAt(location);
  }

  /** The priority of a live event. */
  public int priority(int event) {
    liveLocation(event);
    return (int) (orderKeys[event] >>> PRIORITY_SHIFT) + EventPriority.MINIMUM;
  }

  /**
   * Changes the priority of an idle event.
   *
   * @throws IllegalStateException if the event is pending
   */
  public void setPriority(int event, int priority) {
    if (liveLocation(event) >= 0) {
      throw new IllegalStateException("cannot change the priority of pending event " + event);
    }
    checkPriority(priority);
    orderKeys[event] = priorityBits(priority);
  }

  /** The payload of a live event. */
  public long payload(int event) {
    liveLocation(event);
    return payloads[event];
  }

  /** Replaces the payload of a live event, pending or not. */
  public void setPayload(int event, long payload) {
    liveLocation(event);
    payloads[event] = payload;
  }

  /** The handler of a live event. */
  public EventHandler handler(int event) {
    liveLocation(event);
    return handlers[event];
  }

  // Unchecked accessors for the run loop, which only passes handles it has just popped.

  EventHandler handlerOfPopped(int event) {
    return handlers[event];
  }

  long payloadOfPopped(int event) {
    return payloads[event];
  }

  // ---------------------------------------------------------------------------------------------
  // Radix heap internals

  private void insert(int event, long tick) {
    long sequence = nextSequence;
    if (sequence > SEQUENCE_MASK) {
      throw new IllegalStateException("sequence numbers exhausted");
    }
    nextSequence = sequence + 1;
    long key = (orderKeys[event] & ~SEQUENCE_MASK) | sequence;
    orderKeys[event] = key;
    if (size == 0) {
      base = now;
    }
    size++;
    if (tick == base) {
      pushDue(event, key);
    } else {
      append(BUCKETS - Long.numberOfLeadingZeros(tick ^ base), event, tick);
    }
  }

  private void append(int bucket, int event, long tick) {
    int n = bucketSizes[bucket];
    long[] ticks = bucketTicks[bucket];
    if (ticks == null || n == ticks.length) {
      ticks = growBucket(bucket, n);
    }
    ticks[n] = tick;
    bucketHandles[bucket][n] = event;
    bucketSizes[bucket] = n + 1;
    locations[event] = (bucket << INDEX_BITS) | n;
    occupiedBuckets |= 1L << bucket;
    if (tick < bucketMins[bucket]) {
      bucketMins[bucket] = tick;
    }
  }

  /** The smallest tick in a non-empty bucket: tracked on append, rescanned only after a cancel. */
  private long minTick(int bucket) {
    long bit = 1L << bucket;
    if ((inexactMins & bit) == 0) {
      return bucketMins[bucket];
    }
    long[] ticks = bucketTicks[bucket];
    int n = bucketSizes[bucket];
    long min = ticks[0];
    for (int i = 1; i < n; i++) {
      long t = ticks[i];
      if (t < min) {
        min = t;
      }
    }
    bucketMins[bucket] = min;
    inexactMins &= ~bit;
    return min;
  }

  /**
   * Pops the only event of the lowest non-empty bucket while the due heap is empty: it is the
   * unique earliest event, and making its tick the base keeps every other event in a valid bucket
   * (the new base agrees with the old one on all bits from {@code bucket - 1} up).
   */
  private int popSingleton(int bucket, long tick) {
    int event = bucketHandles[bucket][0];
    bucketSizes[bucket] = 0;
    bucketMins[bucket] = Long.MAX_VALUE;
    occupiedBuckets &= ~(1L << bucket);
    base = tick;
    locations[event] = IDLE;
    size--;
    now = tick;
    return event;
  }

  /**
   * Makes {@code newBase} (the minimum of {@code bucket}) the base and moves every event of the
   * bucket down: those at {@code newBase} into the due heap, the others into lower buckets (they
   * agree with {@code newBase} on every bit from {@code bucket - 1} up).
   */
  private void redistribute(int bucket, long newBase) {
    base = newBase;
    long[] ticks = bucketTicks[bucket];
    int[] handles = bucketHandles[bucket];
    int n = bucketSizes[bucket];
    bucketSizes[bucket] = 0;
    bucketMins[bucket] = Long.MAX_VALUE;
    occupiedBuckets &= ~(1L << bucket);
    for (int i = 0; i < n; i++) {
      long t = ticks[i];
      int event = handles[i];
      if (t == newBase) {
        pushDue(event, orderKeys[event]);
      } else {
        append(BUCKETS - Long.numberOfLeadingZeros(t ^ newBase), event, t);
      }
    }
  }

  private void unlink(int event, int location) {
    if (location == DUE) {
      removeDueAt(dueIndexOf(event));
      return;
    }
    int bucket = location >>> INDEX_BITS;
    int index = location & INDEX_MASK;
    int last = bucketSizes[bucket] - 1;
    bucketSizes[bucket] = last;
    long[] ticks = bucketTicks[bucket];
    if (last == 0) {
      occupiedBuckets &= ~(1L << bucket);
      inexactMins &= ~(1L << bucket);
      bucketMins[bucket] = Long.MAX_VALUE;
      return;
    }
    if (ticks[index] == bucketMins[bucket]) {
      inexactMins |= 1L << bucket;
    }
    if (index != last) {
      int[] handles = bucketHandles[bucket];
      int moved = handles[last];
      ticks[index] = ticks[last];
      handles[index] = moved;
      locations[moved] = location;
    }
  }

  private long tickAt(int location) {
    return location == DUE ? base : bucketTicks[location >>> INDEX_BITS][location & INDEX_MASK];
  }

  private int dueIndexOf(int event) {
    int[] handles = dueHandles;
    for (int i = 0; ; i++) {
      if (handles[i] == event) {
        return i;
      }
    }
  }

  private void pushDue(int event, long key) {
    int i = dueCount++;
    if (i == dueKeys.length) {
      dueKeys = Arrays.copyOf(dueKeys, i * 2);
      dueHandles = Arrays.copyOf(dueHandles, i * 2);
    }
    long[] keys = dueKeys;
    int[] handles = dueHandles;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      long parentKey = keys[parent];
      if (parentKey < key) {
        break;
      }
      keys[i] = parentKey;
      handles[i] = handles[parent];
      i = parent;
    }
    keys[i] = key;
    handles[i] = event;
    locations[event] = DUE;
  }

  /** Removes the element at heap index {@code i} of the due heap. */
  private void removeDueAt(int i) {
    int last = --dueCount;
    if (i == last) {
      return;
    }
    long[] keys = dueKeys;
    int[] handles = dueHandles;
    long key = keys[last];
    int event = handles[last];
    // Sift up (possible when removing from the middle), otherwise down.
    if (i > 0 && keys[(i - 1) >>> 1] > key) {
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        long parentKey = keys[parent];
        if (parentKey < key) {
          break;
        }
        keys[i] = parentKey;
        handles[i] = handles[parent];
        i = parent;
      }
    } else {
      int half = last >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        long childKey = keys[child];
        int right = child + 1;
        if (right < last && keys[right] < childKey) {
          child = right;
          childKey = keys[right];
        }
        if (key < childKey) {
          break;
        }
        keys[i] = childKey;
        handles[i] = handles[child];
        i = child;
      }
    }
    keys[i] = key;
    handles[i] = event;
  }

  // ---------------------------------------------------------------------------------------------
  // Storage and checks

  private long[] growBucket(int bucket, int n) {
    int capacity = n == 0 ? INITIAL_BUCKET_CAPACITY : n * 2;
    long[] ticks = bucketTicks[bucket] == null
        ? new long[capacity] : Arrays.copyOf(bucketTicks[bucket], capacity);
    bucketTicks[bucket] = ticks;
    bucketHandles[bucket] = bucketHandles[bucket] == null
        ? new int[capacity] : Arrays.copyOf(bucketHandles[bucket], capacity);
    return ticks;
  }

  private void growHandles() {
    int capacity = (int) Math.min((long) handlers.length * 2, MAX_EVENTS);
    handlers = Arrays.copyOf(handlers, capacity);
    payloads = Arrays.copyOf(payloads, capacity);
    orderKeys = Arrays.copyOf(orderKeys, capacity);
    locations = Arrays.copyOf(locations, capacity);
  }

  private int liveLocation(int event) {
    if (event < 0 || event >= handleCount) {
      throw new IllegalArgumentException("not an event handle: " + event);
    }
    int location = locations[event];
    if (location == RELEASED) {
      throw new IllegalArgumentException("event " + event + " has been released");
    }
    return location;
  }

  private void checkNotPast(long tick) {
    if (tick < now) {
      throw new IllegalArgumentException("cannot schedule at tick " + tick
          + ", before the current tick " + now);
    }
  }

  private static void checkPriority(int priority) {
    if (!EventPriority.isValid(priority)) {
      throw new IllegalArgumentException("priority must be in [" + EventPriority.MINIMUM + ", "
          + EventPriority.MAXIMUM + "]: " + priority);
    }
  }

  private static long priorityBits(int priority) {
    return (long) (priority - EventPriority.MINIMUM) << PRIORITY_SHIFT;
  }
}
