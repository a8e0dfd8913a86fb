package io.sparkzero.driver.data;

import static io.sparkzero.driver.data.ExampleAssertions.assertSameExamples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.data.LabeledExample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet source and the IDX importer on an embedded Spark: round trips, schema checks and
 * bad rows under both policies.
 */
class ParquetSourceTest {

  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  private static final StructType FLOAT_SCHEMA = new StructType()
      .add("id", DataTypes.LongType)
      .add("label", DataTypes.IntegerType)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType));

  @TempDir Path dir;

  private static SparkSession spark() {
    return SPARK.session();
  }

  private static List<LabeledExample> idxExamples(IdxSpec spec) {
    List<LabeledExample> examples = new ArrayList<>();
    new IdxReader(new Configuration(), BadRecordPolicy.FAIL)
        .read(spec, record -> examples.add(record.toExample()));
    return examples;
  }

  /** Writes one Parquet file, so that "the first row" is the first row given. */
  private String writeParquet(String name, StructType schema, List<Row> rows) {
    String uri = dir.resolve(name).toString();
    spark().createDataFrame(rows, schema).coalesce(1).write().parquet(uri);
    return uri;
  }

  private static Row floats(Long id, Integer label, float... features) {
    if (features == null) {
      return RowFactory.create(id, label, null);
    }
    List<Float> values = new ArrayList<>();
    for (float f : features) {
      values.add(f);
    }
    return RowFactory.create(id, label, values);
  }

  @Test
  void idxImportedToParquetReadsBackAsTheIdxData() {
    IdxFixture fixture = IdxFixture.write(dir, "train", 20, 4, 3, 10, true, 21);
    String out = dir.resolve("train.parquet").toString();

    ImportResult imported = IdxToParquet.importIdx(spark(), fixture.spec(10), out, false,
        BadRecordPolicy.FAIL);
    LoadedData loaded = DataSources.load(spark(), DataSpec.parse(out), BadRecordPolicy.FAIL);

    assertThat(imported).isEqualTo(new ImportResult(out, 20, 12, BadRecordReport.none()));
    assertThat(spark().read().parquet(out).schema().simpleString())
        .isEqualTo("struct<id:bigint,label:int,features:binary>");
    assertThat(loaded.count()).isEqualTo(20);
    assertThat(loaded.numFeatures()).isEqualTo(12);
    assertThat(loaded.numClasses()).isEqualTo(10);
    assertThat(loaded.badRecords().isEmpty()).isTrue();
    assertSameExamples(loaded.examples().collect(), idxExamples(fixture.spec(10)));
  }

  @Test
  void idxLoadsThroughTheFacade() {
    IdxFixture fixture = IdxFixture.write(dir, "t10k", 9, 2, 5, 10, false, 22);

    LoadedData loaded = DataSources.load(spark(), DataSpec.parse(fixture.images().toString()),
        BadRecordPolicy.FAIL);

    assertThat(loaded.count()).isEqualTo(9);
    assertThat(loaded.numFeatures()).isEqualTo(10);
    assertThat(loaded.examples().getNumPartitions()).isEqualTo(2);
    assertSameExamples(loaded.examples().collect(), idxExamples(fixture.spec(10)));
  }

  @Test
  void importRefusesAnExistingOutputUnlessAskedToOverwrite() {
    IdxFixture fixture = IdxFixture.write(dir, "a", 3, 2, 2, 10, false, 23);
    String out = dir.resolve("a.parquet").toString();
    IdxToParquet.importIdx(spark(), fixture.spec(10), out, false, BadRecordPolicy.FAIL);

    assertThatThrownBy(() ->
        IdxToParquet.importIdx(spark(), fixture.spec(10), out, false, BadRecordPolicy.FAIL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("import: output " + out + " already exists; pass --overwrite"
            + " (overwrite=true) to replace it, or choose another path");
    assertThatThrownBy(() -> IdxToParquet.importIdx(spark(), fixture.spec(10),
        fixture.images().toString(), true, BadRecordPolicy.FAIL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is the input file");

    IdxFixture other = IdxFixture.write(dir, "b", 5, 2, 2, 10, false, 24);
    ImportResult replaced =
        IdxToParquet.importIdx(spark(), other.spec(10), out, true, BadRecordPolicy.FAIL);
    assertThat(replaced.count()).isEqualTo(5);
    assertThat(spark().read().parquet(out).count()).isEqualTo(5);
  }

  @Test
  void importSkipsBadRecordsAndReportsThem() {
    IdxFixture fixture = IdxFixture.write(dir, "s", 4, 2, 2, 10, false, 25);

    ImportResult imported = IdxToParquet.importIdx(spark(), fixture.spec(3),
        dir.resolve("s.parquet").toString(), false, BadRecordPolicy.SKIP);

    long outOfRange = Arrays.stream(fixture.labelValues()).filter(l -> l >= 3).count();
    assertThat(imported.count()).isEqualTo(4 - outOfRange);
    assertThat(imported.badRecords().skippedCount()).isEqualTo(outOfRange);
  }

  @Test
  void arrayOfFloatFeaturesAreUsedAsIs() {
    String uri = writeParquet("floats.parquet", FLOAT_SCHEMA, List.of(
        floats(0L, 1, 0.25f, -3f, 7.5f), floats(1L, 0, 1e-7f, 0f, 1f)));

    LoadedData loaded = DataSources.load(spark(), ParquetSpec.of(uri), BadRecordPolicy.FAIL);

    assertThat(loaded.numFeatures()).isEqualTo(3);
    assertSameExamples(loaded.examples().collect(), List.of(
        new LabeledExample(0, 1, new float[] {0.25f, -3f, 7.5f}),
        new LabeledExample(1, 0, new float[] {1e-7f, 0f, 1f})));
  }

  @Test
  void featuresOfTheWrongTypeAreRefusedUpFront() {
    StructType doubles = new StructType().add("id", DataTypes.LongType)
        .add("label", DataTypes.IntegerType)
        .add("features", DataTypes.createArrayType(DataTypes.DoubleType));
    String uri = writeParquet("doubles.parquet", doubles,
        List.of(RowFactory.create(0L, 1, List.of(0.5))));

    assertThatThrownBy(() -> DataSources.load(spark(), ParquetSpec.of(uri), BadRecordPolicy.SKIP))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(uri + ", column 'features': type array<double> is not allowed;"
            + " allowed types: binary (one unsigned byte per feature, scaled /255) or"
            + " array<float>");
  }

  @Test
  void aMissingOrMistypedLabelColumnIsRefused() {
    StructType noLabel = new StructType().add("id", DataTypes.LongType)
        .add("features", DataTypes.BinaryType);
    String missing = writeParquet("nolabel.parquet", noLabel,
        List.of(RowFactory.create(0L, new byte[] {1})));
    StructType stringLabel = new StructType().add("id", DataTypes.LongType)
        .add("label", DataTypes.StringType).add("features", DataTypes.BinaryType);
    String mistyped = writeParquet("strlabel.parquet", stringLabel,
        List.of(RowFactory.create(0L, "cat", new byte[] {1})));

    assertThatThrownBy(() -> DataSources.load(spark(), ParquetSpec.of(missing),
        BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(missing + ", column 'label': missing (names are case-sensitive); found"
            + " columns: id bigint, features binary; expected columns id (bigint, int), label"
            + " (int, bigint, smallint, tinyint), features (binary or array<float>)");
    assertThatThrownBy(() -> DataSources.load(spark(), ParquetSpec.of(mistyped),
        BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(mistyped + ", column 'label': type string is not allowed;"
            + " allowed types: int, bigint, smallint, tinyint");
  }

  @Test
  void aMissingPathIsNamed() {
    String missing = dir.resolve("nothing-here.parquet").toString();

    assertThatThrownBy(() -> DataSources.load(spark(), ParquetSpec.of(missing),
        BadRecordPolicy.FAIL))
        .hasMessageStartingWith("read Parquet " + missing + " failed: ")
        .hasMessageEndingWith("; check that the path exists and holds Parquet files");
  }

  @Test
  void aBadRowFailsNamingTheFileTheRowIdAndTheProblem() {
    String uri = writeParquet("bad.parquet", FLOAT_SCHEMA, List.of(
        floats(0L, 1, 0.1f, 0.2f), floats(1L, 2, 0.3f, 0.4f), floats(2L, 11, 0.5f, 0.6f),
        floats(3L, 2, 0.7f)));

    assertThatThrownBy(() -> DataSources.load(spark(), ParquetSpec.of(uri), BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("file://" + uri + "/part-")
        .hasMessageContaining(".parquet, row id 2: label 11 is outside [0, 10) (classes=N sets"
            + " it) (2 bad row(s) in all); set data.on-bad-record=skip")
        .satisfies(e -> assertThat(((DataFormatException) e).location()).isEqualTo("row id 2"));
  }

  @Test
  void badRowsAreSkippedCountedAndReported() {
    String uri = writeParquet("mixed.parquet", FLOAT_SCHEMA, List.of(
        floats(0L, 1, 0.1f, 0.2f),
        floats(1L, 10, 0.3f, 0.4f),
        floats(2L, 3, (float[]) null),
        floats(3L, 2, 0.7f, 0.8f, 0.9f),
        floats(4L, null, 0.1f, 0.1f),
        floats(null, 1, 0.1f, 0.1f),
        RowFactory.create(6L, 1, Arrays.asList(0.5f, null)),
        floats(7L, 9, 1f, 0f)));

    LoadedData loaded = DataSources.load(spark(), ParquetSpec.of(uri), BadRecordPolicy.SKIP);

    assertThat(loaded.count()).isEqualTo(2);
    assertSameExamples(loaded.examples().collect(), List.of(
        new LabeledExample(0, 1, new float[] {0.1f, 0.2f}),
        new LabeledExample(7, 9, new float[] {1f, 0f})));
    assertThat(loaded.badRecords().skippedCount()).isEqualTo(6);
    assertThat(loaded.badRecords().samples())
        .allSatisfy(bad -> assertThat(bad.file()).startsWith("file://" + uri + "/part-"))
        .extracting(bad -> bad.location() + ": " + bad.reason())
        .containsExactly(
            "row with null id: id is null",
            "row id 1: label 10 is outside [0, 10) (classes=N sets it)",
            "row id 2: features is null",
            "row id 3: features has 3 values, expected 2 (the first row's length; set features=N"
                + " in the data spec to pin it)",
            "row id 4: label is null",
            "row id 6: features holds a null element");
  }

  @Test
  void anExplicitFeatureCountOverridesTheFirstRow() {
    StructType bytes = new StructType().add("id", DataTypes.IntegerType)
        .add("label", DataTypes.LongType).add("features", DataTypes.BinaryType);
    String uri = writeParquet("bytes.parquet", bytes, List.of(
        RowFactory.create(0, 1L, new byte[] {1, 2}),
        RowFactory.create(1, 2L, new byte[] {(byte) 255, 0, 51})));

    LoadedData loaded = DataSources.load(spark(), new ParquetSpec(uri, 10, OptionalInt.of(3)),
        BadRecordPolicy.SKIP);

    assertThat(loaded.numFeatures()).isEqualTo(3);
    assertThat(loaded.badRecords().samples()).singleElement()
        .satisfies(bad -> assertThat(bad.reason())
            .isEqualTo("features has 2 values, expected 3 (features= in the data spec)"));
    assertSameExamples(loaded.examples().collect(),
        List.of(new LabeledExample(1, 2, new float[] {1f, 0f, 0.2f})));
  }
}
