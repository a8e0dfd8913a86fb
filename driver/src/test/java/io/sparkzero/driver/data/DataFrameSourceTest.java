package io.sparkzero.driver.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.data.LabeledExample;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DataFrame as training data on an embedded Spark: every features type Spark users hold, row
 * positions as ids, and each kind of bad row, named by its id, failed or skipped and counted.
 */
class DataFrameSourceTest {

  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  private static final String WHERE = "the DataFrame passed to fit";
  private static final DataFrameSource.Columns COLUMNS =
      new DataFrameSource.Columns("x", "y", "");

  private static Dataset<Row> frame(StructType schema, Row... rows) {
    return SPARK.session().createDataFrame(List.of(rows), schema);
  }

  private static List<LabeledExample> examples(LoadedData data) {
    return data.examples().collect().stream()
        .sorted(Comparator.comparingLong(LabeledExample::id)).toList();
  }

  private static LoadedData load(Dataset<Row> frame, BadRecordPolicy policy) {
    return DataFrameSource.load(frame, COLUMNS, 3, 2, WHERE, policy);
  }

  @Test
  void vectorFeaturesAndDoubleLabelsBecomeExamplesNumberedByRowPosition() {
    StructType schema = new StructType().add("y", DataTypes.DoubleType)
        .add("x", SQLDataTypes.VectorType());
    Dataset<Row> frame = frame(schema,
        RowFactory.create(2.0, Vectors.dense(0.5, -1.0)),
        RowFactory.create(0.0, Vectors.sparse(2, new int[] {1}, new double[] {3.0})),
        RowFactory.create(1.0, Vectors.dense(0.25, 0.75)));
    LoadedData data = load(frame, BadRecordPolicy.FAIL);
    assertThat(data.count()).isEqualTo(3);
    assertThat(data.numFeatures()).isEqualTo(2);
    List<LabeledExample> examples = examples(data);
    assertThat(examples).extracting(LabeledExample::id).containsExactly(0L, 1L, 2L);
    assertThat(examples).extracting(LabeledExample::label).containsExactly(2, 0, 1);
    assertThat(examples.get(0).features()).containsExactly(0.5f, -1.0f);
    assertThat(examples.get(1).features()).as("a sparse vector, densified")
        .containsExactly(0.0f, 3.0f);
  }

  @Test
  void doubleFloatAndByteArraysWithAnIdColumn() {
    StructType doubles = new StructType().add("key", DataTypes.LongType)
        .add("y", DataTypes.IntegerType)
        .add("x", DataTypes.createArrayType(DataTypes.DoubleType));
    LoadedData fromDoubles = DataFrameSource.load(
        frame(doubles, RowFactory.create(41L, 1, new double[] {0.125, 2.0})),
        new DataFrameSource.Columns("x", "y", "key"), 3, 2, WHERE, BadRecordPolicy.FAIL);
    assertThat(examples(fromDoubles).get(0)).satisfies(e -> {
      assertThat(e.id()).isEqualTo(41L);
      assertThat(e.features()).containsExactly(0.125f, 2.0f);
    });

    StructType floats = new StructType().add("y", DataTypes.LongType)
        .add("x", DataTypes.createArrayType(DataTypes.FloatType));
    assertThat(examples(load(frame(floats, RowFactory.create(2L, new float[] {1.5f, 0f})),
        BadRecordPolicy.FAIL)).get(0).features()).containsExactly(1.5f, 0f);

    StructType bytes = new StructType().add("y", DataTypes.ShortType)
        .add("x", DataTypes.BinaryType);
    assertThat(examples(load(frame(bytes, RowFactory.create((short) 0, new byte[] {0, (byte) 255})),
        BadRecordPolicy.FAIL)).get(0).features()).as("unsigned bytes, scaled /255")
        .containsExactly(0f, 1f);
  }

  @Test
  void badRowsFailNamingTheFirstOneOrAreSkippedAndCounted() {
    StructType schema = new StructType().add("y", DataTypes.DoubleType)
        .add("x", DataTypes.createArrayType(DataTypes.DoubleType));
    Dataset<Row> frame = frame(schema,
        RowFactory.create(1.0, new double[] {0.1, 0.2}), // good
        RowFactory.create(1.0, new double[] {Double.NaN, 0.2}),
        RowFactory.create(0.0, new double[] {0.1, Double.POSITIVE_INFINITY}),
        RowFactory.create(2.5, new double[] {0.1, 0.2}),
        RowFactory.create(7.0, new double[] {0.1, 0.2}),
        RowFactory.create(1.0, new double[] {0.1, 0.2, 0.3}),
        RowFactory.create(null, new double[] {0.1, 0.2}),
        RowFactory.create(2.0, new double[] {0.3, 0.4})); // good

    assertThatThrownBy(() -> load(frame, BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(WHERE + ", row id 1: features holds NaN (6 bad row(s) in all)");

    LoadedData skipped = load(frame, BadRecordPolicy.SKIP);
    assertThat(skipped.count()).isEqualTo(2);
    assertThat(examples(skipped)).extracting(LabeledExample::id).containsExactly(0L, 7L);
    assertThat(skipped.badRecords().skippedCount()).isEqualTo(6);
    assertThat(skipped.badRecords().samples()).extracting(BadRecord::describe).containsExactly(
        WHERE + ", row id 1: features holds NaN",
        WHERE + ", row id 2: features holds an infinity",
        WHERE + ", row id 3: label 2.5 is not a whole class number",
        WHERE + ", row id 4: label 7.0 is outside [0, 3) (classes=N sets it)",
        WHERE + ", row id 5: features has 3 values, expected 2 (the model's input size)",
        WHERE + ", row id 6: label is null");
  }

  @Test
  void aMissingOrMistypedColumnIsNamedWithWhatIsAllowed() {
    StructType schema = new StructType().add("y", DataTypes.DoubleType)
        .add("x", DataTypes.StringType);
    Dataset<Row> frame = frame(schema, RowFactory.create(1.0, "0.1,0.2"));
    assertThatThrownBy(() -> load(frame, BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(WHERE + ", features column 'x': type string is not allowed; allowed: vector"
            + " (Spark ML), array<float>, array<double> or binary (one unsigned byte per feature,"
            + " scaled /255)");
    StructType floats = new StructType().add("y", DataTypes.DoubleType)
        .add("x", DataTypes.createArrayType(DataTypes.FloatType));
    assertThatThrownBy(() -> DataFrameSource.load(frame(floats, RowFactory.create(1.0,
        new float[2])), new DataFrameSource.Columns("x", "label", ""), 3, 2, WHERE,
        BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(WHERE + ", label column 'label': missing")
        .hasMessageContaining("the columns are: y double, x array<float>")
        .hasMessageContaining("setLabelCol");
    StructType stringLabel = new StructType().add("y", DataTypes.StringType)
        .add("x", DataTypes.createArrayType(DataTypes.FloatType));
    assertThatThrownBy(() -> load(frame(stringLabel, RowFactory.create("cat", new float[2])),
        BadRecordPolicy.FAIL))
        .hasMessageStartingWith(WHERE + ", label column 'y': type string is not allowed");
  }
}
