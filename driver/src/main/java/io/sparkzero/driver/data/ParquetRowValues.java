package io.sparkzero.driver.data;

import io.sparkzero.worker.data.LabeledExample;
import java.util.Arrays;

/**
 * The values of one Parquet row as the converters of {@link ParquetRowMaterializer} hand them
 * over: reused from row to row, so that decoding allocates nothing but the example itself. Which
 * values were null, and the feature flags that {@link ParquetRowRules} checks, are kept as they
 * come in rather than found by a second pass over the features.
 */
final class ParquetRowValues {

  private boolean hasId;
  private long id;
  private boolean hasLabel;
  private long label;
  private boolean hasFeatures;
  /** The raw bytes of a {@code binary} row; null for {@code array<float>}. */
  private byte[] bytes;
  private float[] floats;
  private int floatCount;
  private boolean nullElement;
  private boolean nan;
  private boolean infinity;

  ParquetRowValues(int expectedFeatures) {
    floats = new float[Math.max(1, expectedFeatures)];
  }

  /** Forgets the previous row. */
  void reset() {
    hasId = false;
    hasLabel = false;
    hasFeatures = false;
    bytes = null;
    floatCount = 0;
    nullElement = false;
    nan = false;
    infinity = false;
  }

  void setId(long value) {
    hasId = true;
    id = value;
  }

  void setLabel(long value) {
    hasLabel = true;
    label = value;
  }

  /** The row has a (possibly empty) {@code features} value. */
  void featuresPresent() {
    hasFeatures = true;
  }

  void setBytes(byte[] value) {
    hasFeatures = true;
    bytes = value;
  }

  void addFloat(float value) {
    if (floatCount == floats.length) {
      floats = Arrays.copyOf(floats, floats.length * 2);
    }
    floats[floatCount++] = value;
    nan |= Float.isNaN(value);
    infinity |= Float.isInfinite(value);
  }

  void addNullElement() {
    addFloat(0f);
    nullElement = true;
  }

  boolean hasId() {
    return hasId;
  }

  /** The id, boxed, or null: what {@link BadRecord#atRow} names. */
  Long idOrNull() {
    return hasId ? id : null;
  }

  boolean hasLabel() {
    return hasLabel;
  }

  long label() {
    return label;
  }

  boolean hasFeatures() {
    return hasFeatures;
  }

  /** Values of {@code features}: bytes of a {@code binary}, elements (nulls too) of an array. */
  int featureCount() {
    return bytes != null ? bytes.length : floatCount;
  }

  boolean hasNullElement() {
    return nullElement;
  }

  boolean hasNaN() {
    return nan;
  }

  boolean hasInfinity() {
    return infinity;
  }

  /** The example of a row that passed {@link ParquetRowRules#problem}. */
  LabeledExample toExample() {
    float[] features = bytes != null ? IdxRecord.scale(bytes) : Arrays.copyOf(floats, floatCount);
    return new LabeledExample(id, (int) label, features);
  }
}
