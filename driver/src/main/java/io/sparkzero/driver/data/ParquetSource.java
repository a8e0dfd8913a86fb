package io.sparkzero.driver.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.sparkzero.driver.data.ParquetColumns.FeatureEncoding;
import io.sparkzero.worker.data.LabeledExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a {@link ParquetSpec} with Spark SQL, on the executors.
 *
 * <p>The schema is checked first (footers only). Then one aggregation pass tags every row with
 * what is wrong with it, if anything, and counts the rows and the bad ones; a second, small pass
 * collects the lowest-id bad rows with their file ({@code input_file_name()}) only when there are
 * any. The returned RDD re-reads the files and keeps the untagged rows.
 */
final class ParquetSource {

  private static final String FILE = "_file";
  private static final String PROBLEM = "_problem";

  private ParquetSource() {}

  static LoadedData load(SparkSession spark, ParquetSpec spec, BadRecordPolicy policy) {
    Dataset<Row> raw = read(spark, spec.uri());
    FeatureEncoding encoding = ParquetColumns.check(raw.schema(), spec.uri());
    Column length = encoding == FeatureEncoding.UNSIGNED_BYTES
        ? octet_length(col(ParquetColumns.FEATURES))
        : size(col(ParquetColumns.FEATURES));
    String lengthOrigin = spec.numFeatures().isPresent() ? "(features= in the data spec)"
        : "(the first row's length; set features=N in the data spec to pin it)";
    int numFeatures = spec.numFeatures().orElseGet(() -> firstLength(raw, length, spec.uri()));
    Dataset<Row> checked = raw.select(col(ParquetColumns.ID), col(ParquetColumns.LABEL),
        col(ParquetColumns.FEATURES), input_file_name().as(FILE),
        problem(encoding, length, spec.numClasses(), numFeatures, lengthOrigin).as(PROBLEM));

    Row counts = checked.agg(count(lit(1)), count(col(PROBLEM))).first();
    long total = counts.getLong(0);
    long bad = counts.getLong(1);
    BadRecordReport report =
        bad == 0 ? BadRecordReport.none() : rejectBadRows(checked, bad, policy);
    JavaRDD<LabeledExample> examples = checked.where(col(PROBLEM).isNull())
        .select(col(ParquetColumns.ID).cast("long"), col(ParquetColumns.LABEL).cast("int"),
            col(ParquetColumns.FEATURES))
        .javaRDD()
        .map(new ParquetRowMapper(encoding));
    return new LoadedData(examples, numFeatures, spec.numClasses(), total - bad, report);
  }

  private static Dataset<Row> read(SparkSession spark, String uri) {
    try {
      return spark.read().parquet(uri);
    } catch (Exception e) {
      // Spark's AnalysisException (path missing, no Parquet files) is checked in Java's eyes.
      throw new UncheckedIOException("read Parquet " + uri + " failed: " + e.getMessage()
          + "; check that the path exists and holds Parquet files", new IOException(e));
    }
  }

  private static int firstLength(Dataset<Row> raw, Column length, String uri) {
    List<Row> first = raw.where(col(ParquetColumns.FEATURES).isNotNull())
        .select(length).takeAsList(1);
    if (first.isEmpty() || first.get(0).getInt(0) < 1) {
      throw new DataFormatException(uri, "column 'features'", "cannot tell the number of"
          + " features: " + (first.isEmpty() ? "no row has features (the data set is empty or"
              + " every value is null)" : "the first row has none")
          + "; set features=N in the data spec or fix the data");
    }
    return first.get(0).getInt(0);
  }

  /** What is wrong with a row, or null; the first failing check wins. */
  private static Column problem(FeatureEncoding encoding, Column length, int numClasses,
      int numFeatures, String lengthOrigin) {
    Column id = col(ParquetColumns.ID);
    Column label = col(ParquetColumns.LABEL);
    Column features = col(ParquetColumns.FEATURES);
    Column problem = when(id.isNull(), lit("id is null"))
        .when(label.isNull(), lit("label is null"))
        .when(label.lt(0).or(label.geq(numClasses)), concat(lit("label "),
            label.cast("string"), lit(" is outside [0, " + numClasses + ") (classes=N sets it)")))
        .when(features.isNull(), lit("features is null"))
        .when(length.notEqual(numFeatures), concat(lit("features has "), length.cast("string"),
            lit(" values, expected " + numFeatures + " " + lengthOrigin)));
    if (encoding == FeatureEncoding.FLOATS) {
      problem = problem.when(expr("exists(" + ParquetColumns.FEATURES + ", x -> x is null)"),
          lit("features holds a null element"));
    }
    return problem;
  }

  private static BadRecordReport rejectBadRows(Dataset<Row> checked, long bad,
      BadRecordPolicy policy) {
    List<Row> rows = checked.where(col(PROBLEM).isNotNull())
        .select(col(FILE), col(ParquetColumns.ID), col(PROBLEM))
        .orderBy(col(ParquetColumns.ID).asc_nulls_first())
        .limit(BadRecordReport.MAX_SAMPLES)
        .collectAsList();
    List<BadRecord> samples = new ArrayList<>();
    for (Row row : rows) {
      samples.add(BadRecord.atRow(row.getString(0), row.get(1), row.getString(2)));
    }
    if (policy == BadRecordPolicy.FAIL) {
      BadRecord first = samples.get(0);
      throw new DataFormatException(first.file(), first.location(), first.reason() + " ("
          + bad + " bad row(s) in all)" + BadRecordLog.SKIP_HINT);
    }
    return new BadRecordReport(bad, samples);
  }
}
