package org.vcpusim.cpu.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vcpusim.cpu.profile.CpuProfile;

/**
 * An immutable set of {@link CpuFeature}s, as a CPU profile declares them. Profiles spell the set
 * as a comma-separated list of feature names ({@link #parse}).
 */
public final class CpuFeatures {
  /** No optional feature. */
  public static final CpuFeatures NONE = new CpuFeatures(0);
  /** Every optional feature. */
  public static final CpuFeatures ALL = of(CpuFeature.values());

  private final int bits;

  private CpuFeatures(int bits) {
    this.bits = bits;
  }

  /** The set of the given features. */
  public static CpuFeatures of(CpuFeature... features) {
    int b = 0;
    for (CpuFeature f : features) {
      b |= 1 << f.ordinal();
    }
    return new CpuFeatures(b);
  }

  /** The optional instructions a CPU profile says its CPU has. */
  public static CpuFeatures of(CpuProfile.Features declared) {
    CpuFeatures f = NONE;
    if (declared.fsgsbase()) {
      f = f.with(CpuFeature.FSGSBASE);
    }
    if (declared.rdpid()) {
      f = f.with(CpuFeature.RDPID);
    }
    if (declared.rdtscp()) {
      f = f.with(CpuFeature.RDTSCP);
    }
    return f;
  }

  /**
   * Parses names such as {@code "fsgsbase, rdpid"} (any case; empty means none).
   *
   * @throws IllegalArgumentException naming the unknown feature and the known ones
   */
  public static CpuFeatures parse(String list) {
    int b = 0;
    for (String part : list.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      CpuFeature found = null;
      for (CpuFeature f : CpuFeature.values()) {
        if (f.name().equalsIgnoreCase(name)) {
          found = f;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("unknown CPU feature '" + name + "', expected one of "
            + List.of(CpuFeature.values()).toString().toLowerCase(Locale.ROOT));
      }
      b |= 1 << found.ordinal();
    }
    return new CpuFeatures(b);
  }

  public boolean has(CpuFeature feature) {
    return (bits & (1 << feature.ordinal())) != 0;
  }

  /** This set plus {@code feature}. */
  public CpuFeatures with(CpuFeature feature) {
    return new CpuFeatures(bits | (1 << feature.ordinal()));
  }

  /** This set minus {@code feature}. */
  public CpuFeatures without(CpuFeature feature) {
    return new CpuFeatures(bits & ~(1 << feature.ordinal()));
  }

  /** The features, in declaration order. */
  public List<CpuFeature> toList() {
    List<CpuFeature> out = new ArrayList<>();
    for (CpuFeature f : CpuFeature.values()) {
      if (has(f)) {
        out.add(f);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuFeatures && ((CpuFeatures) o).bits == bits;
  }

  @Override
  public int hashCode() {
    return bits;
  }

  /** The {@link #parse}able form, e.g. {@code "fsgsbase,rdtscp"}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (CpuFeature f : toList()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(f.name().toLowerCase(Locale.ROOT));
    }
    return sb.toString();
  }
}
