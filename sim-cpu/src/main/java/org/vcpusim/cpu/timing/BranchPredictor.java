package org.vcpusim.cpu.timing;

import org.vcpusim.cpu.profile.CpuProfile;

/**
 * The model's branch predictor: a gshare direction predictor (2-bit saturating counters indexed
 * by the branch address XOR the global taken/not-taken history, McFarling 1993), a direct-mapped
 * branch target buffer for indirect jumps and calls, and a return-address stack for {@code ret}.
 * Sizes come from the profile's {@code branch} group. Counters start weakly not-taken, so the
 * first execution of a taken conditional branch mispredicts, as on a cold predictor.
 *
 * <p>It predicts what the real predictors of userspace.md §7 decision 1's cores predict for the
 * simple, regular branches of allocator fast paths; it does not reproduce their accuracy on
 * irregular code.
 *
 * <p><b>Caveats:</b> one per core; not thread-safe.
 */
public final class BranchPredictor {
  private final byte[] counters;
  private final int counterMask;
  private int history;
  private final long[] btbBranch;
  private final long[] btbTarget;
  private final int btbMask;
  private final long[] returnStack;
  private int returnTop;
  private int returnDepth;

  public BranchPredictor(CpuProfile.Branch config) {
    counters = new byte[config.predictorEntries()];
    java.util.Arrays.fill(counters, (byte) 1);
    counterMask = config.predictorEntries() - 1;
    btbBranch = new long[config.btbEntries()];
    java.util.Arrays.fill(btbBranch, -1L);
    btbTarget = new long[config.btbEntries()];
    btbMask = config.btbEntries() - 1;
    returnStack = new long[config.returnStackEntries()];
  }

  private static int mix(long pc) {
    return (int) (pc ^ (pc >>> 16) ^ (pc >>> 32));
  }

  /**
   * Predicts the conditional branch at {@code pc}, then trains on the outcome.
   *
   * @return true when the prediction was wrong
   */
  public boolean conditional(long pc, boolean taken) {
    int i = (mix(pc) ^ history) & counterMask;
    byte c = counters[i];
    boolean predictedTaken = c >= 2;
    if (taken) {
      if (c < 3) {
        counters[i] = (byte) (c + 1);
      }
    } else if (c > 0) {
      counters[i] = (byte) (c - 1);
    }
    history = ((history << 1) | (taken ? 1 : 0)) & counterMask;
    return predictedTaken != taken;
  }

  /**
   * Predicts the target of the indirect branch at {@code pc}, then records the actual target.
   *
   * @return true when the BTB had no entry or a different target
   */
  public boolean indirect(long pc, long target) {
    int i = mix(pc) & btbMask;
    boolean hit = btbBranch[i] == pc && btbTarget[i] == target;
    btbBranch[i] = pc;
    btbTarget[i] = target;
    return !hit;
  }

  /** Records a call's return address. */
  public void pushReturn(long returnAddress) {
    returnTop = returnTop + 1 == returnStack.length ? 0 : returnTop + 1;
    returnStack[returnTop] = returnAddress;
    if (returnDepth < returnStack.length) {
      returnDepth++;
    }
  }

  /**
   * Predicts a {@code ret} from the return stack.
   *
   * @return true when the stack was empty or held another address
   */
  public boolean ret(long target) {
    if (returnDepth == 0) {
      return true;
    }
    long predicted = returnStack[returnTop];
    returnTop = returnTop == 0 ? returnStack.length - 1 : returnTop - 1;
    returnDepth--;
    return predicted != target;
  }
}
