package org.vcpusim.scenarios.workload;

/**
 * The layout of a thread's block in simulated memory (the driver's {@code %r15}; the assembly's
 * {@code TB_*} constants are emitted from these): counters the driver keeps, its mailbox, its
 * random state, and the record of the objects it holds. All fields are little-endian u64.
 */
public final class ThreadBlock {
  /** Ops completed. */
  public static final int OPS = 0;
  /** Ops to do (0: until {@code stop_word}). */
  public static final int TARGET = 8;
  /** xorshift64 state. */
  public static final int RNG = 16;
  /** Mailbox: request code ({@link DisturbanceKind}), cleared by the driver when it serves it. */
  public static final int MAIL = 24;
  /** Mailbox argument (sleep ns, drain id). */
  public static final int MAIL_ARG = 32;
  /** Objects held. */
  public static final int HELD_N = 40;
  /** Pops that found neither slab nor central list objects. */
  public static final int FAIL = 48;
  /** 0 setting up, 1 running (set up, SIGUSR1 handler installed), 2 done, 3 setup failed. */
  public static final int STATUS = 56;
  /** Result of the failed setup call (rseq or prctl). */
  public static final int SETUP = 64;
  /** Drains done, objects they moved, drains skipped (busy or not a slab). */
  public static final int DRAINS = 72;
  public static final int DRAINED = 80;
  public static final int DRAINS_SKIPPED = 88;
  /** GS clobbers done and refused by the kernel. */
  public static final int CLOBBERS = 96;
  public static final int CLOBBERS_FAILED = 104;
  /** Injected sleeps and yields served. */
  public static final int SLEEPS = 112;
  public static final int YIELDS = 120;
  /** struct timespec for nanosleep. */
  public static final int TS = 128;
  /** Per size class, the drain's saved header.current. */
  public static final int SAVED = 144;

  /** Status values. */
  public static final long STATUS_RUNNING = 1;
  public static final long STATUS_DONE = 2;
  public static final long STATUS_FAILED = 3;

  private final int xfer;
  private final int held;
  private final int bytes;

  /** The layout for {@code sizeClasses}, slow-path batches of {@code batch}, {@code maxHeld}. */
  ThreadBlock(int sizeClasses, int batch, int maxHeld) {
    this.xfer = SAVED + 8 * sizeClasses;
    this.held = xfer + 8 * batch;
    int end = held + 16 * maxHeld;
    this.bytes = (end + 63) & ~63;
  }

  /** The slow paths' transfer array (a batch of object pointers). */
  public int xfer() {
    return xfer;
  }

  /** The held record: {@code maxHeld} entries of (object, size class). */
  public int held() {
    return held;
  }

  /** Bytes per block, a multiple of 64 (blocks do not share cache lines). */
  public int bytes() {
    return bytes;
  }
}
