package org.vcpusim.kernel.gsmode;

/**
 * A decoded {@code struct gs_mode_args} ({@link GsModeAbi}); also the mode an mm is in. Values
 * are the raw user fields: {@code indexMode} and {@code flags} are unsigned 32-bit, {@code stride}
 * and {@code origin} unsigned 64-bit held in {@code long}s.
 *
 * @param indexMode {@code index_mode}
 * @param flags {@code flags}
 * @param stride {@code stride}
 * @param origin {@code origin}
 */
public record GsModeArgs(long indexMode, long flags, long stride, long origin) {
  /** The mode of an mm that never enabled it, and what {@code PT_GET_GS_MODE} then reports. */
  public static final GsModeArgs OFF = new GsModeArgs(GsModeAbi.GS_INDEX_MODE_NONE, 0, 0, 0);

  /** An {@link GsModeAbi#GS_INDEX_MODE_MM_VCPU} mode with flags 0. */
  public static GsModeArgs mmVcpu(long stride, long origin) {
    return new GsModeArgs(GsModeAbi.GS_INDEX_MODE_MM_VCPU, 0, stride, origin);
  }

  /** Decodes the {@link GsModeAbi#ARGS_SIZE} little-endian bytes of the struct. */
  public static GsModeArgs decode(byte[] b) {
    if (b.length != GsModeAbi.ARGS_SIZE) {
      throw new IllegalArgumentException("struct gs_mode_args is 24 bytes, not " + b.length);
    }
    return new GsModeArgs(le(b, GsModeAbi.INDEX_MODE_OFFSET, 4), le(b, GsModeAbi.FLAGS_OFFSET, 4),
        le(b, GsModeAbi.STRIDE_OFFSET, 8), le(b, GsModeAbi.ORIGIN_OFFSET, 8));
  }

  /** The struct's {@link GsModeAbi#ARGS_SIZE} little-endian bytes. */
  public byte[] encode() {
    byte[] b = new byte[GsModeAbi.ARGS_SIZE];
    put(b, GsModeAbi.INDEX_MODE_OFFSET, 4, indexMode);
    put(b, GsModeAbi.FLAGS_OFFSET, 4, flags);
    put(b, GsModeAbi.STRIDE_OFFSET, 8, stride);
    put(b, GsModeAbi.ORIGIN_OFFSET, 8, origin);
    return b;
  }

  /** True for {@link GsModeAbi#GS_INDEX_MODE_MM_VCPU}. */
  public boolean isMmVcpu() {
    return indexMode == GsModeAbi.GS_INDEX_MODE_MM_VCPU;
  }

  /** The GS base of concurrency id {@code cid}: {@code origin + stride * cid}. */
  public long base(int cid) {
    return origin + stride * cid;
  }

  private static long le(byte[] b, int off, int n) {
    long v = 0;
    for (int i = n - 1; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  private static void put(byte[] b, int off, int n, long v) {
    for (int i = 0; i < n; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }
}
