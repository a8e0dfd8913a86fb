package io.sparkzero.driver.data;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns a Parquet source must have, checked against the schema before any row is read so
 * that a wrong file fails in seconds, not after a scan.
 */
final class ParquetColumns {

  static final String ID = "id";
  static final String LABEL = "label";
  static final String FEATURES = "features";

  /** How the {@code features} column stores values. */
  enum FeatureEncoding {
    /** {@code binary}: one unsigned byte per feature, scaled {@code /255}. */
    UNSIGNED_BYTES,
    /** {@code array<float>}: used as is. */
    FLOATS
  }

  private static final List<DataType> ID_TYPES =
      List.of(DataTypes.LongType, DataTypes.IntegerType);
  private static final List<DataType> LABEL_TYPES = List.of(DataTypes.IntegerType,
      DataTypes.LongType, DataTypes.ShortType, DataTypes.ByteType);
  private static final String FEATURES_ALLOWED =
      "binary (one unsigned byte per feature, scaled /255) or array<float>";
  private static final String EXPECTED = "expected columns id (" + names(ID_TYPES) + "), label ("
      + names(LABEL_TYPES) + "), features (binary or array<float>)";

  private ParquetColumns() {}

  /**
   * Checks the three columns; other columns are ignored.
   *
   * @return how the features are stored
   * @throws DataFormatException naming the URI, the column, the type found and the types allowed
   */
  static FeatureEncoding check(StructType schema, String uri) {
    checkType(schema, uri, ID, ID_TYPES);
    checkType(schema, uri, LABEL, LABEL_TYPES);
    DataType features = field(schema, uri, FEATURES).dataType();
    if (features.equals(DataTypes.BinaryType)) {
      return FeatureEncoding.UNSIGNED_BYTES;
    }
    if (features instanceof ArrayType array && array.elementType().equals(DataTypes.FloatType)) {
      return FeatureEncoding.FLOATS;
    }
    throw wrongType(uri, FEATURES, features, FEATURES_ALLOWED);
  }

  private static void checkType(StructType schema, String uri, String name,
      List<DataType> allowed) {
    DataType found = field(schema, uri, name).dataType();
    if (!allowed.contains(found)) {
      throw wrongType(uri, name, found, names(allowed));
    }
  }

  private static StructField field(StructType schema, String uri, String name) {
    return Arrays.stream(schema.fields())
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new DataFormatException(uri, "column '" + name + "'",
            "missing (names are case-sensitive); found columns: " + describe(schema) + "; "
                + EXPECTED));
  }

  private static DataFormatException wrongType(String uri, String name, DataType found,
      String allowed) {
    return new DataFormatException(uri, "column '" + name + "'", "type " + found.simpleString()
        + " is not allowed; allowed types: " + allowed + "; rewrite the column with one of these"
        + " types (spark-zero import writes IDX data in this layout)");
  }

  /** The schema's columns as {@code name type, ...}. */
  static String describe(StructType schema) {
    return Arrays.stream(schema.fields())
        .map(f -> f.name() + " " + f.dataType().simpleString())
        .collect(Collectors.joining(", "));
  }

  /** The types' SQL names, comma-separated. */
  static String names(List<DataType> types) {
    return types.stream().map(DataType::simpleString).collect(Collectors.joining(", "));
  }
}
