package io.sparkzero.driver.data;

/**
 * What reading a pair of IDX files produced.
 *
 * @param count examples handed to the consumer
 * @param rows image rows from the header
 * @param cols image columns from the header
 * @param badRecords what was skipped (always empty under {@link BadRecordPolicy#FAIL})
 */
public record IdxReadResult(long count, int rows, int cols, BadRecordReport badRecords) {

  /** Features per example: {@code rows * cols}. */
  public int numFeatures() {
    return rows * cols;
  }
}
