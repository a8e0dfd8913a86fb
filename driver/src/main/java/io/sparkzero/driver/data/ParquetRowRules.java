package io.sparkzero.driver.data;

import java.io.Serializable;

/**
 * Which Parquet rows are bad, and why, for a chunk read on an executor: the same checks, in the
 * same order and with the same words, as {@link ParquetSource}'s SQL {@code problem} column, so a
 * data set gives the same bad rows whether it is loaded into memory or streamed.
 *
 * @param numClasses labels must lie in {@code [0, numClasses)}
 * @param numFeatures values every row's {@code features} must have
 * @param lengthOrigin where {@code numFeatures} comes from, for the message of a row that differs
 */
record ParquetRowRules(int numClasses, int numFeatures, String lengthOrigin)
    implements Serializable {

  // Shared with ParquetSource.load; StreamChunksTest compares the two readers' reasons.
  static final String FROM_SPEC = "(features= in the data spec)";
  static final String FROM_FIRST_ROW =
      "(the first row's length; set features=N in the data spec to pin it)";

  /** The rules of {@code spec}, with {@code numFeatures} taken from it or from the first row. */
  static ParquetRowRules of(ParquetSpec spec, int numFeatures) {
    return new ParquetRowRules(spec.numClasses(), numFeatures,
        spec.numFeatures().isPresent() ? FROM_SPEC : FROM_FIRST_ROW);
  }

  /** What is wrong with the row, or null; the first failing check wins. */
  String problem(ParquetRowValues row) {
    if (!row.hasId()) {
      return "id is null";
    }
    if (!row.hasLabel()) {
      return "label is null";
    }
    if (row.label() < 0 || row.label() >= numClasses) {
      return "label " + row.label() + " is outside [0, " + numClasses + ") (classes=N sets it)";
    }
    if (!row.hasFeatures()) {
      return "features is null";
    }
    if (row.featureCount() != numFeatures) {
      return "features has " + row.featureCount() + " values, expected " + numFeatures + " "
          + lengthOrigin;
    }
    // Spark tests each condition over the whole array in turn, so a null anywhere outranks a NaN.
    if (row.hasNullElement()) {
      return "features holds a null element";
    }
    if (row.hasNaN()) {
      return "features holds NaN";
    }
    if (row.hasInfinity()) {
      return "features holds an infinity";
    }
    return null;
  }
}
