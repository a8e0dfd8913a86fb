package io.sparkzero.driver.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.sparkzero.driver.data.ParquetColumns.FeatureEncoding;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark DataFrame as training data: the features and label columns a user names, of the types
 * Spark ML and data lakes use, checked row by row like a Parquet source ({@code
 * data.on-bad-record}), NaN and infinities included.
 *
 * <p>Features may be an ML {@code Vector} (dense or sparse), {@code array<float>}, {@code
 * array<double>} or {@code binary} (one unsigned byte per feature, scaled {@code /255}); arrays
 * and vectors become {@code float}s. The label is any integral or floating type holding a class
 * number. An id column is optional: without one an example's id is its row's position in the
 * DataFrame, so the DataFrame must give its rows in the same order each time it is computed (as
 * one read from files does).
 */
public final class DataFrameSource {

  /** Integral label and id types. */
  private static final List<DataType> INTEGRAL = List.of(DataTypes.LongType,
      DataTypes.IntegerType, DataTypes.ShortType, DataTypes.ByteType);
  private static final List<DataType> FLOATING = List.of(DataTypes.DoubleType,
      DataTypes.FloatType);
  private static final String FEATURE_TYPES = "vector (Spark ML), array<float>, array<double>"
      + " or binary (one unsigned byte per feature, scaled /255)";

  private DataFrameSource() {}

  /**
   * Which columns hold what.
   *
   * @param features the features column
   * @param label the label column
   * @param id the example id column, or empty: row positions
   */
  public record Columns(String features, String label, String id) {}

  /**
   * The features column as {@code array<float>} or {@code binary}, for training and prediction.
   *
   * @param where what the frame is, for the error ({@code "the DataFrame passed to fit"})
   * @throws DataFormatException when the column is missing or of another type
   */
  public static Features features(StructType schema, String column, String where) {
    DataType type = field(schema, column, where, "features", FEATURE_TYPES).dataType();
    Column c = col(quoted(column));
    if (type.equals(DataTypes.BinaryType)) {
      return new Features(c, FeatureEncoding.UNSIGNED_BYTES);
    }
    if (type instanceof VectorUDT) {
      return new Features(org.apache.spark.ml.functions.vector_to_array(c, "float32"),
          FeatureEncoding.FLOATS);
    }
    if (type instanceof ArrayType array && FLOATING.contains(array.elementType())) {
      return new Features(c.cast("array<float>"), FeatureEncoding.FLOATS);
    }
    throw wrongType(where, "features", column, type, FEATURE_TYPES);
  }

  /** A features column converted for the model, and how its values are stored. */
  public record Features(Column column, FeatureEncoding encoding) {
    /** Whether each value is one unsigned byte. */
    public boolean bytes() {
      return encoding == FeatureEncoding.UNSIGNED_BYTES;
    }
  }

  /**
   * Loads {@code frame}'s examples for a model of {@code numFeatures} inputs and {@code
   * numClasses} outputs.
   *
   * @param where what the frame is, for errors and bad-record reports
   * @throws DataFormatException for a missing column or a type not allowed (always), or a bad row
   *     under {@link BadRecordPolicy#FAIL}: its id, what is wrong, the count of bad rows
   */
  public static LoadedData load(Dataset<?> frame, Columns columns, int numClasses,
      int numFeatures, String where, BadRecordPolicy policy) {
    StructType schema = frame.schema();
    Features features = features(schema, columns.features(), where);
    DataType labelType = field(schema, columns.label(), where, "label",
        "an integral or floating type").dataType();
    if (!INTEGRAL.contains(labelType) && !FLOATING.contains(labelType)) {
      throw wrongType(where, "label", columns.label(), labelType, ParquetColumns.names(INTEGRAL) + ", "
          + ParquetColumns.names(FLOATING) + " holding class numbers 0.." + (numClasses - 1));
    }
    Column label = col(quoted(columns.label())).as(ParquetColumns.LABEL);
    Dataset<Row> rows;
    if (columns.id().isEmpty()) {
      Dataset<Row> unnumbered = frame.select(label, features.column().as(ParquetColumns.FEATURES));
      StructType numbered = new StructType()
          .add(ParquetColumns.ID, DataTypes.LongType, false)
          .add(unnumbered.schema().fields()[0])
          .add(unnumbered.schema().fields()[1]);
      JavaRDD<Row> withIds = unnumbered.javaRDD().zipWithIndex()
          .map(pair -> RowFactory.create(pair._2(), pair._1().get(0), pair._1().get(1)));
      rows = frame.sparkSession().createDataFrame(withIds, numbered);
    } else {
      DataType idType = field(schema, columns.id(), where, "id", ParquetColumns.names(INTEGRAL)).dataType();
      if (!INTEGRAL.contains(idType)) {
        throw wrongType(where, "id", columns.id(), idType, ParquetColumns.names(INTEGRAL));
      }
      rows = frame.select(col(quoted(columns.id())).as(ParquetColumns.ID), label,
          features.column().as(ParquetColumns.FEATURES));
    }
    return ParquetSource.loadRows(rows.withColumn(ParquetSource.FILE, lit(where)),
        features.encoding(), numClasses, numFeatures, "(the model's input size)", policy);
  }

  private static StructField field(StructType schema, String column, String where, String role,
      String allowed) {
    return Arrays.stream(schema.fields())
        .filter(f -> f.name().equals(column))
        .findFirst()
        .orElseThrow(() -> new DataFormatException(where, role + " column '" + column + "'",
            "missing (names are case-sensitive); the columns are: " + ParquetColumns.describe(schema)
                + "; name the " + role + " column (set" + capitalized(role) + "Col) holding "
                + allowed));
  }

  private static DataFormatException wrongType(String where, String role, String column,
      DataType found, String allowed) {
    return new DataFormatException(where, role + " column '" + column + "'", "type "
        + found.simpleString() + " is not allowed; allowed: " + allowed);
  }

  /** A column name as {@code col} takes it literally (dots and spaces included). */
  private static String quoted(String column) {
    return "`" + column.replace("`", "``") + "`";
  }

  private static String capitalized(String role) {
    return Character.toUpperCase(role.charAt(0)) + role.substring(1);
  }
}
