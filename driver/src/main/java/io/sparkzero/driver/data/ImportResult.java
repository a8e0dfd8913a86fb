package io.sparkzero.driver.data;

/**
 * What an import wrote.
 *
 * @param outUri the Parquet directory written
 * @param count rows written
 * @param numFeatures bytes per {@code features} value
 * @param badRecords what was skipped (empty under {@link BadRecordPolicy#FAIL})
 */
public record ImportResult(String outUri, long count, int numFeatures,
    BadRecordReport badRecords) {}
