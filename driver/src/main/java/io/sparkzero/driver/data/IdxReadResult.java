package io.sparkzero.driver.data;

/**
 * What reading a pair of IDX files produced.
 *
 * @param count examples handed to the consumer
 * @param rows image rows from the header
 * @param cols image columns from the header
 * @param badRecords what was skipped (always empty under {@link BadRecordPolicy#FAIL})
 */
@com.esotericsoftware.kryo.DefaultSerializer(
    com.esotericsoftware.kryo.serializers.JavaSerializer.class)
public record IdxReadResult(long count, int rows, int cols, BadRecordReport badRecords)
    implements java.io.Serializable {

  /** Features per example: {@code rows * cols}. */
  public int numFeatures() {
    return rows * cols;
  }
}
