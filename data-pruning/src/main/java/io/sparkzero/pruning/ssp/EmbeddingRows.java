package io.sparkzero.pruning.ssp;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a table of embeddings into {@link SspExample}s: columns {@value #ID} (long),
 * {@value #LABEL} (int, -1 when unknown) and {@value #EMBEDDING} (an array of numbers or an ML
 * {@link Vector}); values are read as floats, an encoder's precision. The schema is checked on
 * the driver, so a wrong table fails before any task.
 */
public final class EmbeddingRows {
  /** The example id column. */
  public static final String ID = "id";
  /** The class label column. */
  public static final String LABEL = "label";
  /** The embedding column. */
  public static final String EMBEDDING = "embedding";

  private EmbeddingRows() {}

  /** The rows of {@code table} as examples, read lazily on the executors. */
  public static JavaRDD<SspExample> read(Dataset<Row> table) {
    StructType schema = table.schema();
    requireColumn(schema, ID, "long", DataTypes.LongType.equals(type(schema, ID)));
    requireColumn(schema, LABEL, "int", DataTypes.IntegerType.equals(type(schema, LABEL)));
    DataType embedding = type(schema, EMBEDDING);
    boolean isVector = embedding instanceof VectorUDT;
    boolean isArray = embedding instanceof ArrayType array
        && array.elementType() instanceof NumericType;
    requireColumn(schema, EMBEDDING, "array of numbers or vector", isVector || isArray);
    return table.select(ID, LABEL, EMBEDDING).javaRDD().map(row -> new SspExample(
        row.getLong(0), row.getInt(1), isVector ? floats(row.<Vector>getAs(2)) : floats(row, 2)));
  }

  private static DataType type(StructType schema, String column) {
    return List.of(schema.fieldNames()).contains(column) ? schema.apply(column).dataType() : null;
  }

  private static void requireColumn(StructType schema, String column, String expected, boolean ok) {
    if (!ok) {
      DataType found = type(schema, column);
      throw new IllegalArgumentException("embeddings table: column '" + column + "' must be "
          + expected + ", found " + (found == null ? "no such column" : found.simpleString())
          + "; columns: " + schema.simpleString());
    }
  }

  private static float[] floats(Vector vector) {
    float[] values = new float[vector.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) vector.apply(i);
    }
    return values;
  }

  private static float[] floats(Row row, int column) {
    if (row.isNullAt(column)) {
      throw new IllegalArgumentException("example id " + row.getLong(0) + " has no embedding");
    }
    List<Number> list = row.getList(column);
    float[] values = new float[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = list.get(i).floatValue();
    }
    return values;
  }
}
