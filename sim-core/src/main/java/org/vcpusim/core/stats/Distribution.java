package org.vcpusim.core.stats;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import org.HdrHistogram.Histogram;

/**
 * A distribution of non-negative integer samples (latencies in ticks, run-queue lengths ...),
 * kept in an auto-resizing HdrHistogram ({@code org.HdrHistogram.Histogram}) with a fixed number of
 * significant decimal digits, so any value in [0, {@link #MAX_VALUE}] is recorded in O(1) with
 * relative error below 10^-digits.
 *
 * <p>Exported as a JSON object with keys in this fixed order: {@code count}, {@code min}, {@code
 * max}, {@code mean}, {@code p50}, {@code p90}, {@code p99}, {@code p999}. {@code min} and {@code
 * max} are exact and {@code mean} is computed from the exact sum of the samples (kept in 128 bits
 * beside the histogram; correctly rounded while the sum is below 2^53); a percentile is
 * HdrHistogram's {@code getValueAtPercentile} (the highest value equivalent, within the precision,
 * to the sample at that rank) capped at {@code max}. With no samples every key but {@code count}
 * is {@code null}.
 *
 * <p><b>Caveats</b>: not thread-safe; negative samples are rejected.
 */
public final class Distribution extends Stat {

  /** Largest value a distribution records (HdrHistogram's limit). */
  public static final long MAX_VALUE = Long.MAX_VALUE / 2;

  private final Histogram histogram;
  private final int significantDigits;
  private long min = Long.MAX_VALUE;
  private long max = Long.MIN_VALUE;
  /** Exact sum of the samples as an unsigned 128-bit number (sumHigh, sumLow). */
  private long sumHigh;
  private long sumLow;

  Distribution(String name, int significantDigits) {
    super(name);
    if (significantDigits < 1 || significantDigits > 5) {
      throw new IllegalArgumentException("significant digits must be in [1, 5]: "
          + significantDigits);
    }
    this.significantDigits = significantDigits;
    this.histogram = new Histogram(significantDigits);
  }

  /** Records one sample. */
  public void record(long value) {
    record(value, 1);
  }

  /** Records {@code count} samples of {@code value}. */
  public void record(long value, long count) {
    if (value < 0 || value > MAX_VALUE) {
      throw new IllegalArgumentException("distribution " + name() + " takes values in [0, "
          + MAX_VALUE + "]: " + value);
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1: " + count);
    }
    histogram.recordValueWithCount(value, count);
    min = Math.min(min, value);
    max = Math.max(max, value);
    long productLow = value * count;
    long productHigh = Math.multiplyHigh(value, count);
    long low = sumLow + productLow;
    sumHigh += productHigh + (Long.compareUnsigned(low, sumLow) < 0 ? 1 : 0);
    sumLow = low;
  }

  /**
   * Adds every sample of {@code other} to this distribution, as if each had been recorded here
   * (HdrHistogram's {@code add}; min, max and the exact sum follow).
   */
  public void addAll(Distribution other) {
    if (other.count() == 0) {
      return;
    }
    histogram.add(other.histogram);
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    long low = sumLow + other.sumLow;
    sumHigh += other.sumHigh + (Long.compareUnsigned(low, sumLow) < 0 ? 1 : 0);
    sumLow = low;
  }

  /** Number of samples. */
  public long count() {
    return histogram.getTotalCount();
  }

  /** Smallest sample; 0 with no samples. */
  public long min() {
    return count() == 0 ? 0 : min;
  }

  /** Largest sample; 0 with no samples. */
  public long max() {
    return count() == 0 ? 0 : max;
  }

  /** Mean of the samples, from their exact sum; NaN with no samples. */
  public double mean() {
    long count = count();
    if (count == 0) {
      return Double.NaN;
    }
    if (sumHigh == 0 && sumLow >= 0 && sumLow < (1L << 53)) {
      return (double) sumLow / count;
    }
    BigInteger sum = BigInteger.valueOf(sumHigh).shiftLeft(64)
        .add(new BigInteger(Long.toUnsignedString(sumLow)));
    return new BigDecimal(sum).divide(BigDecimal.valueOf(count), new MathContext(34))
        .doubleValue();
  }

  /** The value at {@code percentile} (0 to 100), see the class comment; 0 with no samples. */
  public long valueAtPercentile(double percentile) {
    if (!(percentile >= 0 && percentile <= 100)) {
      throw new IllegalArgumentException("percentile must be in [0, 100]: " + percentile);
    }
    return count() == 0 ? 0 : Math.min(histogram.getValueAtPercentile(percentile), max);
  }

  /** The precision the distribution was created with. */
  public int significantDigits() {
    return significantDigits;
  }

  @Override
  public void reset() {
    histogram.reset();
    min = Long.MAX_VALUE;
    max = Long.MIN_VALUE;
    sumHigh = 0;
    sumLow = 0;
  }

  @Override
  void writeValue(JsonGenerator json) throws IOException {
    json.writeStartObject();
    long count = count();
    json.writeNumberField("count", count);
    if (count == 0) {
      for (String key : new String[] {"min", "max", "mean", "p50", "p90", "p99", "p999"}) {
        json.writeNullField(key);
      }
    } else {
      json.writeNumberField("min", min());
      json.writeNumberField("max", max());
      json.writeNumberField("mean", mean());
      json.writeNumberField("p50", valueAtPercentile(50));
      json.writeNumberField("p90", valueAtPercentile(90));
      json.writeNumberField("p99", valueAtPercentile(99));
      json.writeNumberField("p999", valueAtPercentile(99.9));
    }
    json.writeEndObject();
  }
}
