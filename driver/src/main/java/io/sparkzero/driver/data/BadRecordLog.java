package io.sparkzero.driver.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link BadRecordPolicy} while one source is read on the driver: throws at the first
 * bad record under {@code FAIL}, counts and samples under {@code SKIP}. One instance per read; not
 * shared between threads.
 */
final class BadRecordLog {

  static final String SKIP_HINT =
      "; set " + BadRecordPolicy.OPTION_KEY + "=skip to leave such records out and report them";

  private final BadRecordPolicy policy;
  private final List<BadRecord> samples = new ArrayList<>();
  private long skippedCount;

  BadRecordLog(BadRecordPolicy policy) {
    this.policy = policy;
  }

  /**
   * Rejects a bad record.
   *
   * @param record where and why
   * @param examplesLost how many examples this costs (a truncation loses every example after it)
   * @throws DataFormatException under {@code FAIL}
   */
  void reject(BadRecord record, long examplesLost) {
    if (policy == BadRecordPolicy.FAIL) {
      throw new DataFormatException(record.file(), record.location(), record.reason() + SKIP_HINT);
    }
    skippedCount += examplesLost;
    if (samples.size() < BadRecordReport.MAX_SAMPLES) {
      samples.add(record);
    }
  }

  BadRecordReport report() {
    return skippedCount == 0 ? BadRecordReport.none() : new BadRecordReport(skippedCount, samples);
  }
}
