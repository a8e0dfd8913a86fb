package io.sparkzero.driver.data;

import static io.sparkzero.driver.data.ExampleAssertions.assertSameExamples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.data.ExampleChunk;
import io.sparkzero.worker.data.LabeledExample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chunks a rank streams: Parquet row groups, IDX id ranges and synthetic id ranges, each
 * listed from metadata and read on its own, against the sources that load a data set whole
 * ({@link ParquetSource}, {@link IdxReader}, {@link SyntheticSource}): the same examples, the same
 * bad rows with the same reasons, and small, serializable chunk lists.
 */
class StreamChunksTest {

  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  private static final int CLASSES = 10;
  private static final StructType FLOAT_SCHEMA = new StructType()
      .add("id", DataTypes.LongType)
      .add("label", DataTypes.ByteType)
      .add("features", DataTypes.createArrayType(DataTypes.FloatType));
  private static final StructType BYTE_SCHEMA = new StructType()
      .add("id", DataTypes.IntegerType)
      .add("label", DataTypes.ShortType)
      .add("features", DataTypes.BinaryType);

  @TempDir Path dir;

  private static SparkSession spark() {
    return SPARK.session();
  }

  private static Configuration conf() {
    return spark().sparkContext().hadoopConfiguration();
  }

  /**
   * Writes {@code rows} into {@code files} Parquet files, each cut into row groups of about
   * {@code blockBytes} (checked every {@code rowCheck} rows, so that small groups really happen).
   */
  private String writeParquet(String name, StructType schema, List<Row> rows, int files,
      int blockBytes, int rowCheck) {
    String uri = dir.resolve(name).toString();
    var frame = spark().createDataFrame(rows, schema);
    (files == 1 ? frame.coalesce(1) : frame.repartition(files)).write()
        .option("parquet.block.size", blockBytes)
        .option("parquet.page.size.row.check.min", rowCheck)
        .option("parquet.page.size.row.check.max", rowCheck)
        .parquet(uri);
    return uri;
  }

  private static Row floatRow(Long id, Integer label, Float... features) {
    return RowFactory.create(id, label == null ? null : label.byteValue(),
        features == null ? null : Arrays.asList(features));
  }

  private static Row byteRow(Integer id, Integer label, byte[] features) {
    return RowFactory.create(id, label == null ? null : label.shortValue(), features);
  }

  private static List<LabeledExample> readAll(List<ExampleChunk> chunks) {
    List<LabeledExample> examples = new ArrayList<>();
    for (ExampleChunk chunk : chunks) {
      chunk.read(examples::add);
    }
    return examples;
  }

  private static long skippedAll(List<ExampleChunk> chunks) {
    return chunks.stream().mapToLong(chunk -> chunk.read(example -> { })).sum();
  }

  /** The file part of a Parquet chunk's location. */
  private static String fileOf(ExampleChunk chunk) {
    return chunk.location().substring(0, chunk.location().indexOf(" row group "));
  }

  private static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static List<ExampleChunk> deserialize(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (List<ExampleChunk>) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Good rows of random values, ids 0..n-1, written as binary or as array<float>. */
  private String writeGoodParquet(String name, boolean floats, int n, int numFeatures,
      int files) {
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    for (int id = 0; id < n; id++) {
      if (floats) {
        Float[] features = new Float[numFeatures];
        for (int j = 0; j < numFeatures; j++) {
          features[j] = random.nextFloat() * 10 - 5;
        }
        rows.add(floatRow((long) id, random.nextInt(CLASSES), features));
      } else {
        byte[] features = new byte[numFeatures];
        random.nextBytes(features);
        rows.add(byteRow(id, random.nextInt(CLASSES), features));
      }
    }
    return writeParquet(name, floats ? FLOAT_SCHEMA : BYTE_SCHEMA, rows, files, 1024, 8);
  }

  @ParameterizedTest(name = "floats={0}")
  @ValueSource(booleans = {false, true})
  void parquetRowGroupsReadWhatTheParquetSourceLoads(boolean floats) {
    String uri = writeGoodParquet(floats ? "floats.parquet" : "bytes.parquet", floats, 300, 12,
        3);
    ParquetSpec spec = new ParquetSpec(uri, CLASSES, OptionalInt.of(12));

    List<ExampleChunk> chunks = ParquetRowGroups.list(conf(), spec, 12, BadRecordPolicy.FAIL);

    assertThat(chunks.stream().mapToLong(ExampleChunk::count).sum()).isEqualTo(300);
    Map<String, Long> groupsPerFile = chunks.stream()
        .collect(Collectors.groupingBy(StreamChunksTest::fileOf, Collectors.counting()));
    assertThat(groupsPerFile).as("row groups per file").hasSize(3)
        .allSatisfy((file, groups) -> assertThat(groups).isGreaterThan(1L));
    assertThat(chunks.get(0).location())
        .matches("file:/.*/part-00000-[^/]*\\.parquet row group 0 \\(rows 0-\\d+\\)");
    assertThat(chunks).extracting(StreamChunksTest::fileOf).isSorted();
    List<LabeledExample> loaded =
        DataSources.load(spark(), spec, BadRecordPolicy.FAIL).examples().collect();
    assertThat(loaded).hasSize(300);
    assertSameExamples(readAll(chunks), loaded);
  }

  /** One bad row of every kind ParquetSource knows, and two good ones (ids 0 and 7). */
  private static final List<Row> BAD_FLOAT_ROWS = List.of(
      floatRow(0L, 1, 0.1f, 0.2f),
      floatRow(1L, 10, 0.3f, 0.4f),
      floatRow(2L, 3, (Float[]) null),
      floatRow(3L, 2, 0.7f, 0.8f, 0.9f),
      floatRow(4L, null, 0.1f, 0.1f),
      floatRow(null, 1, 0.1f, 0.1f),
      floatRow(6L, 1, 0.5f, null),
      floatRow(7L, 9, 1f, 0f),
      floatRow(8L, 4, Float.NaN, 0f),
      floatRow(9L, 4, 1f, Float.NEGATIVE_INFINITY),
      floatRow(10L, 4),
      floatRow(11L, -1, 0f, 0f),
      floatRow(12L, 5, Float.NaN, null));

  /**
   * Writes each row into a file of its own, so that every bad row fails its own chunk under
   * {@code fail} (Parquet cuts row groups by size, not by row).
   */
  private String writeRowPerFile(String name, List<Row> rows) {
    String uri = dir.resolve(name).toString();
    for (Row row : rows) {
      spark().createDataFrame(List.of(row), FLOAT_SCHEMA).coalesce(1).write()
          .mode(SaveMode.Append).parquet(uri);
    }
    return uri;
  }

  @Test
  void badParquetRowsAreSkippedAndCountedOrFailedWithTheParquetSourcesReasons() {
    String uri = writeRowPerFile("bad.parquet", BAD_FLOAT_ROWS);
    ParquetSpec spec = ParquetSpec.of(uri); // the first row's length: that wording too
    LoadedData loaded = DataSources.load(spark(), spec, BadRecordPolicy.SKIP);

    List<ExampleChunk> skipping = ParquetRowGroups.list(conf(), spec, 2, BadRecordPolicy.SKIP);
    List<ExampleChunk> failing = ParquetRowGroups.list(conf(), spec, 2, BadRecordPolicy.FAIL);

    assertThat(skipping).as("one row per file").hasSize(13);
    assertThat(skippedAll(skipping)).isEqualTo(11).isEqualTo(loaded.badRecords().skippedCount());
    assertSameExamples(readAll(skipping), loaded.examples().collect());
    List<DataFormatException> errors = new ArrayList<>();
    for (ExampleChunk chunk : failing) {
      try {
        chunk.read(example -> { });
      } catch (DataFormatException e) {
        assertThat(e.file()).isEqualTo(fileOf(chunk));
        errors.add(e);
      }
    }
    List<String> reasons = new ArrayList<>();
    for (DataFormatException e : errors) {
      String prefix = e.file() + ", " + e.location() + ": ";
      assertThat(e.getMessage()).startsWith(prefix).endsWith(BadRecordLog.SKIP_HINT);
      reasons.add(e.location() + ": " + e.getMessage().substring(prefix.length(),
          e.getMessage().length() - BadRecordLog.SKIP_HINT.length()));
    }
    assertThat(reasons).hasSize(11).containsAll(loaded.badRecords().samples().stream()
        .map(bad -> bad.location() + ": " + bad.reason()).toList());
    assertThat(reasons).contains("row id 12: features holds a null element",
        "row id 10: features has 0 values, expected 2 (the first row's length; set features=N in"
            + " the data spec to pin it)",
        "row id 9: features holds an infinity", "row id 11: label -1 is outside [0, 10)"
            + " (classes=N sets it)");
    DataFormatException label10 = errors.stream()
        .filter(e -> e.location().equals("row id 1")).findFirst().orElseThrow();
    assertThat(label10).hasMessage(label10.file() + ", row id 1: label 10 is outside [0, 10)"
        + " (classes=N sets it)" + BadRecordLog.SKIP_HINT);
    assertThat(label10.file()).matches("file:/.*/bad\\.parquet/part-00000-.*\\.parquet");
  }

  @Test
  void badBinaryRowsAreSkippedAsTheParquetSourceSkipsThem() {
    List<Row> rows = List.of(
        byteRow(0, 1, new byte[] {1, 2}),
        byteRow(1, 2, null),
        byteRow(2, 3, new byte[] {1, 2, 3}),
        byteRow(3, 12, new byte[] {5, 6}),
        byteRow(4, 9, new byte[] {(byte) 255, 0}));
    String uri = writeParquet("badbytes.parquet", BYTE_SCHEMA, rows, 1, 1024, 2);
    ParquetSpec spec = new ParquetSpec(uri, CLASSES, OptionalInt.of(2));
    LoadedData loaded = DataSources.load(spark(), spec, BadRecordPolicy.SKIP);

    List<ExampleChunk> chunks = ParquetRowGroups.list(conf(), spec, 2, BadRecordPolicy.SKIP);

    assertThat(skippedAll(chunks)).isEqualTo(3).isEqualTo(loaded.badRecords().skippedCount());
    assertSameExamples(readAll(chunks), loaded.examples().collect());
    ExampleChunk failing = ParquetRowGroups.list(conf(), spec, 2, BadRecordPolicy.FAIL).get(0);
    assertThatThrownBy(() -> failing.read(example -> { }))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(fileOf(failing) + ", row id 1: features is null" + BadRecordLog.SKIP_HINT);
  }

  /**
   * Rows {@code (id, label, features)} written with parquet-hadoop's example writer in the
   * layout {@code featuresSchema} declares: row 2 has no features value at all (null, or empty
   * for a bare repeated column), row 3 an empty one.
   */
  private String writeListLayout(String name, String featuresSchema) throws IOException {
    MessageType schema = MessageTypeParser.parseMessageType("message spark_schema { required"
        + " int64 id; required int32 label; " + featuresSchema + " }");
    boolean bare = schema.getType("features").isPrimitive();
    String uri = dir.resolve(name).toUri().toString();
    try (ParquetWriter<Group> writer = ExampleParquetWriter
        .builder(new org.apache.hadoop.fs.Path(uri)).withType(schema).withConf(conf()).build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(schema);
      for (int id = 0; id < 5; id++) {
        Group row = groups.newGroup().append("id", (long) id).append("label", id);
        if (id == 2 && !bare) {
          writer.write(row);
          continue;
        }
        Group features = bare ? row : row.addGroup("features");
        String element = bare ? "features" : "array";
        for (int j = 0; id != 2 && id != 3 && j < 2; j++) {
          features.append(element, id + j / 4f);
        }
        writer.write(row);
      }
    }
    return uri;
  }

  @Test
  void otherLayoutsThatSparkReadsAsArrayOfFloatStreamToo() throws IOException {
    String twoLevel = writeListLayout("two-level.parquet",
        "optional group features (LIST) { repeated float array; }");
    String bare = writeListLayout("bare.parquet", "repeated float features;");
    // Spark's legacy layout: group (LIST) { repeated group bag { optional float array } }.
    String legacy;
    spark().conf().set("spark.sql.parquet.writeLegacyFormat", "true");
    try {
      legacy = writeParquet("legacy.parquet", FLOAT_SCHEMA, BAD_FLOAT_ROWS, 1, 1024, 8);
    } finally {
      spark().conf().unset("spark.sql.parquet.writeLegacyFormat");
    }

    for (String uri : List.of(twoLevel, bare, legacy)) {
      ParquetSpec spec = new ParquetSpec(uri, CLASSES, OptionalInt.of(2));
      LoadedData loaded = DataSources.load(spark(), spec, BadRecordPolicy.SKIP);
      List<ExampleChunk> chunks = ParquetRowGroups.list(conf(), spec, 2, BadRecordPolicy.SKIP);
      assertThat(skippedAll(chunks)).as(uri).isEqualTo(loaded.badRecords().skippedCount())
          .isPositive();
      assertSameExamples(readAll(chunks), loaded.examples().collect());
    }
  }

  @Test
  void aMissingPathOrOneWithoutPartFilesIsNamed() throws IOException {
    String missing = dir.resolve("nothing-here.parquet").toString();
    Path empty = Files.createDirectories(dir.resolve("empty.parquet"));
    Files.write(empty.resolve("_SUCCESS"), new byte[0]);
    Files.write(empty.resolve(".part-00000.parquet.crc"), new byte[] {1});

    assertThatThrownBy(() -> ParquetRowGroups.list(conf(), ParquetSpec.of(missing), 2,
        BadRecordPolicy.FAIL))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("list Parquet " + missing + " failed: no such file or directory; check that"
            + " the path exists and holds Parquet files");
    assertThatThrownBy(() -> ParquetRowGroups.list(conf(), ParquetSpec.of(empty.toString()), 2,
        BadRecordPolicy.FAIL))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("list Parquet " + empty + " failed: no Parquet files under it (names"
            + " starting with _ or . are left out, as Spark does); check that the path holds the"
            + " data set's part files");
  }

  @Test
  void idxChunksReadTheSameExamplesAsOneSequentialRead() {
    IdxFixture fixture = IdxFixture.write(dir, "train", 23, 3, 4, CLASSES, false, 17);
    IdxSpec spec = fixture.spec(CLASSES);
    List<LabeledExample> sequential = new ArrayList<>();
    new IdxReader(new Configuration(), BadRecordPolicy.FAIL)
        .read(spec, record -> sequential.add(record.toExample()));

    List<ExampleChunk> chunks = IdxChunks.list(conf(), spec, BadRecordPolicy.FAIL, 5);

    assertThat(chunks).extracting(ExampleChunk::count).containsExactly(5L, 5L, 5L, 5L, 3L);
    assertThat(chunks).extracting(ExampleChunk::location).containsExactly(
        fixture.images() + " ids 0-4", fixture.images() + " ids 5-9",
        fixture.images() + " ids 10-14", fixture.images() + " ids 15-19",
        fixture.images() + " ids 20-22");
    List<LabeledExample> streamed = readAll(chunks);
    assertThat(streamed).extracting(LabeledExample::id)
        .containsExactlyElementsOf(sequential.stream().map(LabeledExample::id).toList());
    assertSameExamples(streamed, sequential);
  }

  @Test
  void idxChunksSkipOrFailBadLabelsAsOneSequentialRead() {
    IdxFixture fixture = IdxFixture.write(dir, "labels", 40, 2, 2, CLASSES, false, 5);
    IdxSpec spec = fixture.spec(3); // labels 3..9 are now out of range
    List<LabeledExample> kept = new ArrayList<>();
    IdxReadResult sequential = new IdxReader(new Configuration(), BadRecordPolicy.SKIP)
        .read(spec, record -> kept.add(record.toExample()));
    assertThat(sequential.badRecords().skippedCount()).isPositive();

    List<ExampleChunk> skipping = IdxChunks.list(conf(), spec, BadRecordPolicy.SKIP, 7);
    assertThat(skippedAll(skipping)).isEqualTo(sequential.badRecords().skippedCount());
    assertSameExamples(readAll(skipping), kept);

    List<ExampleChunk> failing = IdxChunks.list(conf(), spec, BadRecordPolicy.FAIL, 7);
    DataFormatException expected = null;
    try {
      new IdxReader(new Configuration(), BadRecordPolicy.FAIL).read(spec, record -> { });
    } catch (DataFormatException e) {
      expected = e;
    }
    assertThat(expected).isNotNull();
    String message = expected.getMessage();
    assertThat(message).startsWith(fixture.labels() + ", byte offset ");
    assertThatThrownBy(() -> readAll(failing))
        .isInstanceOf(DataFormatException.class).hasMessage(message);
  }

  @Test
  void aGzippedIdxPairIsRefusedWithTheWayOut() {
    IdxFixture fixture = IdxFixture.write(dir, "zipped", 6, 2, 2, CLASSES, true, 9);
    IdxSpec twelveClasses = new IdxSpec(fixture.images().toString(),
        fixture.labels().toString(), 12);
    IdxSpec unlabeled = new IdxSpec(fixture.images().toString(), IdxSpec.NO_LABELS, CLASSES);

    assertThatThrownBy(() -> IdxChunks.list(conf(), fixture.spec(CLASSES), BadRecordPolicy.FAIL,
        4))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(fixture.images() + ", byte offset 0: the file is gzipped, and a gzip stream"
            + " can only be read from its start, so it cannot be streamed in chunks; convert the"
            + " pair to Parquet once with 'spark-zero import " + fixture.images() + " <out>"
            + " --labels " + fixture.labels() + "' and stream parquet:<out>, or set"
            + " data.mode=memory to load it whole");
    assertThatThrownBy(() -> IdxChunks.list(conf(), twelveClasses, BadRecordPolicy.FAIL, 4))
        .hasMessageContaining(" --labels " + fixture.labels() + " --classes 12' and stream");
    assertThatThrownBy(() -> IdxChunks.list(conf(), unlabeled, BadRecordPolicy.FAIL, 4))
        .hasMessageEndingWith("; decompress it once (gunzip) and stream the plain file, or set"
            + " data.mode=memory to load it whole");
  }

  @Test
  void syntheticChunksMakeTheSyntheticSourcesExamples() {
    SyntheticSpec spec = new SyntheticSpec(37, 20, 4, 5, 0.3, 100);

    List<ExampleChunk> chunks = SyntheticChunks.list(spec, 10);

    assertThat(chunks).extracting(ExampleChunk::count).containsExactly(10L, 10L, 10L, 7L);
    assertThat(chunks.get(3).location()).isEqualTo("synthetic data (seed 5) ids 130-136");
    assertThat(skippedAll(chunks)).isZero();
    assertSameExamples(readAll(chunks),
        SyntheticSource.generate(spark(), spec, 3).examples().collect());
  }

  @Test
  void aChunkListSurvivesJavaSerializationCarryingOneConfiguration() {
    IdxFixture fixture = IdxFixture.write(dir, "many", 100, 2, 3, CLASSES, false, 11);
    List<ExampleChunk> idx = IdxChunks.list(conf(), fixture.spec(CLASSES), BadRecordPolicy.FAIL,
        1);
    String uri = writeGoodParquet("small.parquet", true, 60, 5, 2);
    List<ExampleChunk> parquet = ParquetRowGroups.list(conf(), ParquetSpec.of(uri), 5,
        BadRecordPolicy.FAIL);

    byte[] idxBytes = serialize(idx);
    int confBytes = serialize(new SerializableConfiguration(new Configuration(conf()))).length;
    System.out.printf("StreamChunksTest: 100 IDX chunks serialize to %d bytes; one Hadoop"
        + " configuration alone to %d bytes%n", idxBytes.length, confBytes);

    assertThat(idx).hasSize(100);
    assertThat(idxBytes.length).as("the configuration written once, each chunk in a few bytes")
        .isLessThan(confBytes + 100 * 100).isLessThan(2 * confBytes);
    assertSameExamples(readAll(deserialize(idxBytes)), readAll(idx));
    assertSameExamples(readAll(deserialize(serialize(parquet))), readAll(parquet));
  }

  @Test
  void binaryFeaturesDecodeFastOnOneCore() {
    int n = 20_000;
    int numFeatures = 784;
    Random random = new Random(3);
    List<Row> rows = new ArrayList<>(n);
    for (int id = 0; id < n; id++) {
      byte[] pixels = new byte[numFeatures];
      random.nextBytes(pixels);
      rows.add(byteRow(id, random.nextInt(CLASSES), pixels));
    }
    String uri = writeParquet("rate.parquet", BYTE_SCHEMA, rows, 1, 4 << 20, 100);
    List<ExampleChunk> chunks = ParquetRowGroups.list(conf(), ParquetSpec.of(uri), numFeatures,
        BadRecordPolicy.FAIL);

    double bestPerS = 0;
    for (int round = 0; round < 10; round++) { // the first two rounds warm up the JIT
      double[] checksum = new double[1];
      long[] count = new long[1];
      long startNs = System.nanoTime();
      for (ExampleChunk chunk : chunks) {
        chunk.read(example -> {
          checksum[0] += example.features()[example.features().length - 1];
          count[0]++;
        });
      }
      long elapsedNs = System.nanoTime() - startNs;
      assertThat(count[0]).isEqualTo(n);
      if (round >= 2) {
        bestPerS = Math.max(bestPerS, n / (elapsedNs / 1e9));
      }
    }
    System.out.printf("StreamChunksTest: decoded %d examples of %d binary features in %d row"
        + " group(s) at %.0f examples/s on one core (best of 8)%n", n, numFeatures, chunks.size(),
        bestPerS);
    assertThat(bestPerS).as("a very loose floor: CI machines differ").isGreaterThan(2_000);
  }
}
