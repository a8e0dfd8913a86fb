package io.sparkzero.driver.data;

import static io.sparkzero.driver.data.IdxFixture.IMAGES_HEADER_BYTES;
import static io.sparkzero.driver.data.IdxFixture.LABELS_HEADER_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.data.LabeledExample;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link IdxReader} on small IDX files written by the test, plain and gzipped. */
class IdxReaderTest {

  private static final int CLASSES = 10;

  @TempDir Path dir;

  private final List<IdxRecord> records = new ArrayList<>();

  private IdxReadResult read(IdxSpec spec, BadRecordPolicy policy) {
    return new IdxReader(new Configuration(), policy).read(spec, records::add);
  }

  private void assertRecordsMatch(IdxFixture fixture, long... ids) {
    assertThat(records).extracting(IdxRecord::id).containsExactly(Arrays.stream(ids).boxed()
        .toArray(Long[]::new));
    for (IdxRecord record : records) {
      int i = (int) record.id();
      assertThat(record.label()).isEqualTo(fixture.labelValues()[i]);
      assertThat(record.pixels()).isEqualTo(fixture.pixels()[i]);
    }
  }

  private static long[] range(int n) {
    return java.util.stream.LongStream.range(0, n).toArray();
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void readsBackExactly(boolean gzip) {
    IdxFixture fixture = IdxFixture.write(dir, "train", 7, 4, 3, CLASSES, gzip, 1);

    IdxReadResult result = read(fixture.spec(CLASSES), BadRecordPolicy.FAIL);

    assertThat(result.count()).isEqualTo(7);
    assertThat(result.rows()).isEqualTo(4);
    assertThat(result.cols()).isEqualTo(3);
    assertThat(result.numFeatures()).isEqualTo(12);
    assertThat(result.badRecords().isEmpty()).isTrue();
    assertRecordsMatch(fixture, range(7));
    LabeledExample example = records.get(3).toExample();
    for (int j = 0; j < 12; j++) {
      assertThat(example.features()[j]).isEqualTo((fixture.pixels()[3][j] & 0xff) / 255f)
          .isBetween(0f, 1f);
    }
  }

  @Test
  void labelsNoneReadsTheImagesAloneWithoutALabel() throws Exception {
    IdxFixture fixture = IdxFixture.write(dir, "nolabels", 5, 3, 2, CLASSES, true, 4);
    java.nio.file.Files.delete(fixture.labels()); // not even opened
    IdxReadResult result = read(new IdxSpec(fixture.images().toString(), IdxSpec.NO_LABELS, CLASSES),
        BadRecordPolicy.FAIL);
    assertThat(result.count()).isEqualTo(5);
    assertThat(result.numFeatures()).isEqualTo(6);
    assertThat(records).extracting(IdxRecord::label).containsOnly(IdxRecord.NO_LABEL);
    for (int i = 0; i < 5; i++) {
      assertThat(records.get(i).pixels()).isEqualTo(fixture.pixels()[i]);
    }
  }

  @Test
  void detectsGzipByItsMagicBytesNotByName() {
    IdxFixture fixture = IdxFixture.write(dir, "t", 3, 2, 2, CLASSES, false, 2);
    Path gzippedWithoutSuffix = dir.resolve("odd-images-idx3-ubyte");
    Path plainWithGzSuffix = dir.resolve("odd-labels-idx1-ubyte.gz");
    IdxFixture.writeFile(gzippedWithoutSuffix,
        IdxFixture.maybeGzip(IdxFixture.readFile(fixture.images()), true));
    IdxFixture.writeFile(plainWithGzSuffix, IdxFixture.readFile(fixture.labels()));

    read(new IdxSpec(gzippedWithoutSuffix.toString(), plainWithGzSuffix.toString(), CLASSES),
        BadRecordPolicy.FAIL);

    assertRecordsMatch(fixture, range(3));
  }

  @Test
  void readsFileUris() {
    IdxFixture fixture = IdxFixture.write(dir, "u", 3, 2, 2, CLASSES, true, 3);

    read(new IdxSpec(fixture.images().toUri().toString(), fixture.labels().toUri().toString(),
        CLASSES), BadRecordPolicy.FAIL);

    assertRecordsMatch(fixture, range(3));
  }

  /** Rewrites the images file with only its first {@code keepBytes} uncompressed bytes. */
  private static void truncateImages(IdxFixture fixture, int keepBytes, boolean gzip) {
    byte[] plain = IdxFixture.imagesBytes(fixture.count(), fixture.rows(), fixture.cols(),
        fixture.pixels());
    IdxFixture.writeFile(fixture.images(),
        IdxFixture.maybeGzip(Arrays.copyOf(plain, keepBytes), gzip));
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void truncatedImagesFailNamingFileAndOffset(boolean gzip) {
    IdxFixture fixture = IdxFixture.write(dir, "cut", 5, 4, 3, CLASSES, gzip, 4);
    int present = 4 * fixture.imageBytes() + 5;
    truncateImages(fixture, IMAGES_HEADER_BYTES + present, gzip);
    long expectedOffset = IMAGES_HEADER_BYTES + present;

    assertThatThrownBy(() -> read(fixture.spec(CLASSES), BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(fixture.images() + ", byte offset " + expectedOffset + ": ")
        .hasMessageContaining("image id 4")
        .hasMessageContaining("promises 5 images")
        .hasMessageContaining("data.on-bad-record=skip")
        .satisfies(e -> {
          assertThat(((DataFormatException) e).file()).isEqualTo(fixture.images().toString());
          assertThat(((DataFormatException) e).location())
              .isEqualTo("byte offset " + expectedOffset);
        });
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void truncatedImagesSkipKeepsTheCompleteExamples(boolean gzip) {
    IdxFixture fixture = IdxFixture.write(dir, "cut", 5, 4, 3, CLASSES, gzip, 5);
    int present = 4 * fixture.imageBytes() + 5;
    truncateImages(fixture, IMAGES_HEADER_BYTES + present, gzip);

    IdxReadResult result = read(fixture.spec(CLASSES), BadRecordPolicy.SKIP);

    assertThat(result.count()).isEqualTo(4);
    assertRecordsMatch(fixture, range(4));
    assertThat(result.badRecords().skippedCount()).isEqualTo(1);
    assertThat(result.badRecords().samples()).singleElement().satisfies(bad -> {
      assertThat(bad.file()).isEqualTo(fixture.images().toString());
      assertThat(bad.location()).isEqualTo("byte offset " + (IMAGES_HEADER_BYTES + present));
      assertThat(bad.reason()).contains("truncated");
    });
  }

  @Test
  void truncatedLabelsFailNamingTheLabelsFile() {
    IdxFixture fixture = IdxFixture.write(dir, "cut", 5, 2, 2, CLASSES, false, 6);
    byte[] labels = IdxFixture.readFile(fixture.labels());
    IdxFixture.writeFile(fixture.labels(), Arrays.copyOf(labels, LABELS_HEADER_BYTES + 3));

    assertThatThrownBy(() -> read(fixture.spec(CLASSES), BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(fixture.labels() + ", byte offset " + (LABELS_HEADER_BYTES + 3))
        .hasMessageContaining("label id 3");
  }

  @Test
  void gzipCutShortIsATruncation() {
    IdxFixture fixture = IdxFixture.write(dir, "big", 40, 28, 28, CLASSES, true, 7);
    byte[] compressed = IdxFixture.readFile(fixture.images());
    IdxFixture.writeFile(fixture.images(), Arrays.copyOf(compressed, compressed.length / 2));

    assertThatThrownBy(() -> read(fixture.spec(CLASSES), BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(fixture.images() + ", byte offset ")
        .hasMessageContaining("gzip stream stops before its end marker");

    records.clear();
    IdxReadResult skipped = read(fixture.spec(CLASSES), BadRecordPolicy.SKIP);
    assertThat(skipped.count()).isBetween(1L, 39L);
    assertThat(skipped.count() + skipped.badRecords().skippedCount()).isEqualTo(40);
    assertRecordsMatch(fixture, range((int) skipped.count()));
  }

  @ParameterizedTest
  @EnumSource(BadRecordPolicy.class)
  void corruptGzipIsFatalAndNamesTheFile(BadRecordPolicy policy) {
    IdxFixture fixture = IdxFixture.write(dir, "bad", 40, 28, 28, CLASSES, true, 8);
    byte[] compressed = IdxFixture.readFile(fixture.images());
    for (int i = compressed.length / 2; i < compressed.length / 2 + 16; i++) {
      compressed[i] ^= (byte) 0xff;
    }
    IdxFixture.writeFile(fixture.images(), compressed);

    assertThatThrownBy(() -> read(fixture.spec(CLASSES), policy))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(fixture.images() + ", compressed byte offset ")
        .hasMessageContaining("corrupt gzip data");
  }

  @ParameterizedTest
  @EnumSource(BadRecordPolicy.class)
  void swappedFilesFailOnTheMagic(BadRecordPolicy policy) {
    IdxFixture fixture = IdxFixture.write(dir, "m", 2, 2, 2, CLASSES, true, 9);
    IdxSpec swapped = new IdxSpec(fixture.labels().toString(), fixture.images().toString(),
        CLASSES);

    assertThatThrownBy(() -> read(swapped, policy))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(fixture.labels() + ", byte offset 0: expected the IDX images magic 0x00000803"
            + " (unsigned bytes, 3 dimensions) but found 0x00000801, which is an IDX labels file:"
            + " the images and labels files look swapped");
  }

  @Test
  void aFileThatIsNotIdxFailsOnTheMagic() {
    IdxFixture fixture = IdxFixture.write(dir, "m", 2, 2, 2, CLASSES, false, 10);
    IdxFixture.writeFile(fixture.images(), "hello, not idx at all".getBytes());

    assertThatThrownBy(() -> read(fixture.spec(CLASSES), BadRecordPolicy.SKIP))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(fixture.images() + ", byte offset 0: expected the IDX images magic")
        .hasMessageContaining("not an IDX file");
  }

  @Test
  void truncatedHeaderIsFatal() {
    IdxFixture fixture = IdxFixture.write(dir, "h", 2, 2, 2, CLASSES, false, 11);
    IdxFixture.writeFile(fixture.images(),
        Arrays.copyOf(IdxFixture.readFile(fixture.images()), 10));

    assertThatThrownBy(() -> read(fixture.spec(CLASSES), BadRecordPolicy.SKIP))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(fixture.images() + ", byte offset 10: the file ends inside its"
            + " 16-byte IDX images header");
  }

  @ParameterizedTest
  @EnumSource(BadRecordPolicy.class)
  void countMismatchIsFatal(BadRecordPolicy policy) {
    IdxFixture fixture = IdxFixture.write(dir, "c", 5, 2, 2, CLASSES, false, 12);
    IdxFixture.writeFile(fixture.labels(), IdxFixture.labelsBytes(4, new int[] {1, 2, 3, 4}));

    assertThatThrownBy(() -> read(fixture.spec(CLASSES), policy))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(fixture.labels() + ", byte offset 4: the header promises 4 labels"
            + " but the images file " + fixture.images() + " promises 5 images");
  }

  private IdxFixture withLabel12AtId2() {
    IdxFixture fixture = IdxFixture.write(dir, "l", 5, 2, 2, CLASSES, true, 13);
    int[] labels = fixture.labelValues();
    labels[2] = 12;
    IdxFixture.writeFile(fixture.labels(),
        IdxFixture.maybeGzip(IdxFixture.labelsBytes(5, labels), true));
    return fixture;
  }

  @Test
  void labelOutOfRangeFails() {
    IdxFixture fixture = withLabel12AtId2();

    assertThatThrownBy(() -> read(fixture.spec(CLASSES), BadRecordPolicy.FAIL))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(fixture.labels() + ", byte offset " + (LABELS_HEADER_BYTES + 2)
            + ": label 12 of example id 2 is outside [0, 10)");
  }

  @Test
  void labelOutOfRangeIsSkippedAndReported() {
    IdxFixture fixture = withLabel12AtId2();

    IdxReadResult result = read(fixture.spec(CLASSES), BadRecordPolicy.SKIP);

    assertThat(result.count()).isEqualTo(4);
    assertRecordsMatch(fixture, 0, 1, 3, 4);
    assertThat(result.badRecords().skippedCount()).isEqualTo(1);
    assertThat(result.badRecords().samples()).containsExactly(BadRecord.atByteOffset(
        fixture.labels().toString(), LABELS_HEADER_BYTES + 2,
        "label 12 of example id 2 is outside [0, 10); raise classes=N if the data set has more"
            + " classes"));
    assertThat(result.badRecords().summary()).startsWith("1 bad record(s) skipped");
  }

  @Test
  void missingFileNamesThePath() {
    String missing = dir.resolve("nope-images-idx3-ubyte.gz").toString();

    assertThatThrownBy(() -> read(IdxSpec.of(missing), BadRecordPolicy.FAIL))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("open IDX images file " + missing + " failed; check the path");
  }
}
