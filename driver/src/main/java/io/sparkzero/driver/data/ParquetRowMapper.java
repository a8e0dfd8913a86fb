package io.sparkzero.driver.data;

import io.sparkzero.driver.data.ParquetColumns.FeatureEncoding;
import io.sparkzero.worker.data.LabeledExample;
import java.util.List;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;

/**
 * Turns a checked {@code (id bigint, label int, features)} row into an example, on the executor.
 * Rows reach it only after {@link ParquetSource} filtered out the bad ones.
 */
final class ParquetRowMapper implements Function<Row, LabeledExample> {

  private static final long serialVersionUID = 1L;

  private final FeatureEncoding encoding;

  ParquetRowMapper(FeatureEncoding encoding) {
    this.encoding = encoding;
  }

  @Override
  public LabeledExample call(Row row) {
    float[] features;
    if (encoding == FeatureEncoding.UNSIGNED_BYTES) {
      features = IdxRecord.scale((byte[]) row.get(2));
    } else {
      List<Float> values = row.getList(2);
      features = new float[values.size()];
      for (int i = 0; i < features.length; i++) {
        features[i] = values.get(i);
      }
    }
    return new LabeledExample(row.getLong(0), row.getInt(1), features);
  }
}
