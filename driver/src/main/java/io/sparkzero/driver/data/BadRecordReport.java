package io.sparkzero.driver.data;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The records a load left out under {@link BadRecordPolicy#SKIP}: how many, and where the first
 * {@value #MAX_SAMPLES} of them were.
 *
 * @param skippedCount examples left out; can exceed {@code samples.size()}, since only the first
 *     few are kept and one truncation can lose several promised examples
 * @param samples the first bad records found, at most {@value #MAX_SAMPLES}
 */
public record BadRecordReport(long skippedCount, List<BadRecord> samples) implements Serializable {

  /** How many bad records a report keeps with their location. */
  public static final int MAX_SAMPLES = 10;

  private static final BadRecordReport NONE = new BadRecordReport(0, List.of());

  /** Validates the counts and keeps at most {@value #MAX_SAMPLES} samples. */
  public BadRecordReport {
    if (skippedCount < 0) {
      throw new IllegalArgumentException("skippedCount must be >= 0, got " + skippedCount);
    }
    samples = List.copyOf(samples.subList(0, Math.min(samples.size(), MAX_SAMPLES)));
    if (skippedCount < samples.size()) {
      throw new IllegalArgumentException(
          "skippedCount " + skippedCount + " is below the " + samples.size() + " samples given");
    }
  }

  /** The report of a load that met no bad record. */
  public static BadRecordReport none() {
    return NONE;
  }

  /** True when nothing was skipped. */
  public boolean isEmpty() {
    return skippedCount == 0;
  }

  /** A readable summary: the count, then one line per sample. */
  public String summary() {
    if (isEmpty()) {
      return "no bad records";
    }
    String lines = samples.stream().map(r -> "  " + r.describe()).collect(Collectors.joining("\n"));
    return skippedCount + " bad record(s) skipped; the first " + samples.size() + ":\n" + lines;
  }
}
