package io.sparkzero.driver.data;

import java.util.OptionalInt;

/**
 * A Parquet data set with columns {@code id} (bigint or int), {@code label} (an integer type) and
 * {@code features} ({@code binary}: one unsigned byte per feature, or {@code array<float>}).
 *
 * @param uri a file or directory on any Hadoop file system
 * @param numClasses labels must be below this
 * @param numFeatures features per row when known; empty: every row must match the first row
 */
public record ParquetSpec(String uri, int numClasses, OptionalInt numFeatures)
    implements DataSpec {

  /** Validates the fields. */
  public ParquetSpec {
    DataSpecParser.requireUri(uri, "Parquet");
    DataSpecParser.requireClasses(numClasses);
    numFeatures.ifPresent(DataSpecParser::requireFeatures);
  }

  /** {@code uri} with {@value DataSpec#DEFAULT_NUM_CLASSES} classes, length from the first row. */
  public static ParquetSpec of(String uri) {
    return new ParquetSpec(uri, DEFAULT_NUM_CLASSES, OptionalInt.empty());
  }

  @Override
  public Format format() {
    return Format.PARQUET;
  }
}
