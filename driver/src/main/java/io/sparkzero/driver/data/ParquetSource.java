package io.sparkzero.driver.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.floor;
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

  /** The column naming each row's file (or, for a DataFrame, what it is). */
  static final String FILE = "_file";
  private static final String PROBLEM = "_problem";

  private ParquetSource() {}

  static LoadedData load(SparkSession spark, ParquetSpec spec, BadRecordPolicy policy) {
    Dataset<Row> raw = read(spark, spec.uri());
    FeatureEncoding encoding = ParquetColumns.check(raw.schema(), spec.uri());
    Column length = length(encoding);
    String lengthOrigin = spec.numFeatures().isPresent() ? ParquetRowRules.FROM_SPEC
        : ParquetRowRules.FROM_FIRST_ROW;
    int numFeatures = spec.numFeatures().orElseGet(() -> firstLength(raw, length, spec.uri()));
    return loadRows(raw.select(col(ParquetColumns.ID), col(ParquetColumns.LABEL),
        col(ParquetColumns.FEATURES), input_file_name().as(FILE)), encoding, spec.numClasses(),
        numFeatures, lengthOrigin, policy);
  }

  /**
   * The features per row of {@code spec}: {@code features=N} when set (nothing is read), else the
   * first row's length, read after the schema is checked.
   */
  static int numFeatures(SparkSession spark, ParquetSpec spec) {
    return spec.numFeatures().orElseGet(() -> {
      Dataset<Row> raw = read(spark, spec.uri());
      FeatureEncoding encoding = ParquetColumns.check(raw.schema(), spec.uri());
      return firstLength(raw, length(encoding), spec.uri());
    });
  }

  /**
   * Checks rows of {@code (id, label, features, _file)} and keeps the good ones as examples: the
   * Parquet reader's second half, and the whole of a DataFrame's ({@link DataFrameSource}).
   *
   * @param lengthOrigin where {@code numFeatures} comes from, for the message of a row that differs
   */
  static LoadedData loadRows(Dataset<Row> rows, FeatureEncoding encoding, int numClasses,
      int numFeatures, String lengthOrigin, BadRecordPolicy policy) {
    Dataset<Row> checked = rows.select(col(ParquetColumns.ID), col(ParquetColumns.LABEL),
        col(ParquetColumns.FEATURES), col(FILE),
        problem(encoding, length(encoding), numClasses, numFeatures, lengthOrigin).as(PROBLEM));

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
    return new LoadedData(examples, numFeatures, numClasses, total - bad, report);
  }

  /** The column that holds a row's number of features. */
  private static Column length(FeatureEncoding encoding) {
    return encoding == FeatureEncoding.UNSIGNED_BYTES
        ? octet_length(col(ParquetColumns.FEATURES))
        : size(col(ParquetColumns.FEATURES));
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
        .when(label.cast("double").notEqual(floor(label.cast("double"))), concat(lit("label "),
            label.cast("string"), lit(" is not a whole class number")))
        .when(label.lt(0).or(label.geq(numClasses)), concat(lit("label "),
            label.cast("string"), lit(" is outside [0, " + numClasses + ") (classes=N sets it)")))
        .when(features.isNull(), lit("features is null"))
        .when(length.notEqual(numFeatures), concat(lit("features has "), length.cast("string"),
            lit(" values, expected " + numFeatures + " " + lengthOrigin)));
    if (encoding == FeatureEncoding.FLOATS) {
      problem = problem.when(expr("exists(" + ParquetColumns.FEATURES + ", x -> x is null)"),
              lit("features holds a null element"))
          .when(expr("exists(" + ParquetColumns.FEATURES + ", x -> isnan(x))"),
              lit("features holds NaN"))
          .when(expr("exists(" + ParquetColumns.FEATURES + ", x -> abs(x) = float('Infinity'))"),
              lit("features holds an infinity"));
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
