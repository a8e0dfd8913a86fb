package io.sparkzero.driver.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.data.LabeledExample;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IDX read by the executors of an embedded Spark: plain files in byte ranges, one per partition,
 * a gzipped one by one task; the same examples as one sequential read, and the same bad records,
 * failed with their file and offset or skipped and counted across the ranges. The session uses
 * Kryo without spark-zero's registrator, as a user's may.
 */
class IdxSourceTest {
  private static final int CLASSES = 10;

  // Kryo without spark-zero's registrator: what travels must name its own serializer.
  @RegisterExtension static final LocalSpark SPARK = new LocalSpark(true);

  @TempDir Path dir;

  private static List<LabeledExample> sorted(LoadedData data) {
    return data.examples().collect().stream()
        .sorted(Comparator.comparingLong(LabeledExample::id)).toList();
  }

  @ParameterizedTest(name = "gzip={0}")
  @ValueSource(booleans = {false, true})
  void rangesReadTheSameExamplesAsOneSequentialRead(boolean gzip) {
    IdxFixture fixture = IdxFixture.write(dir, "train", 23, 3, 4, CLASSES, gzip, 17);
    IdxSpec spec = fixture.spec(CLASSES);
    IdxLayout layout = new IdxReader(new org.apache.hadoop.conf.Configuration(),
        BadRecordPolicy.FAIL).layout(spec);
    assertThat(layout.plain()).isEqualTo(!gzip);
    assertThat(IdxSource.ranges(layout, 4)).as("4 ranges for plain files, one for gzip")
        .hasSize(gzip ? 1 : 4);

    LoadedData data = IdxSource.load(SPARK.session(), spec, BadRecordPolicy.FAIL, 4);

    assertThat(data.count()).isEqualTo(23);
    assertThat(data.numFeatures()).isEqualTo(12);
    assertThat(data.examples().getNumPartitions()).isEqualTo(gzip ? 1 : 4);
    List<LabeledExample> examples = sorted(data);
    assertThat(examples).extracting(LabeledExample::id)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 23).boxed().toList());
    for (LabeledExample e : examples) {
      int id = (int) e.id();
      assertThat(e.label()).isEqualTo(fixture.labelValues()[id]);
      assertThat(e.features()).containsExactly(IdxRecord.scale(fixture.pixels()[id]));
    }
  }

  @Test
  void rangesCoverEveryIdOnce() {
    List<int[]> ranges = IdxSource.ranges(new IdxLayout(10, 1, 1, true), 3);
    assertThat(ranges).extracting(r -> Arrays.toString(r))
        .containsExactly("[0, 3]", "[3, 6]", "[6, 10]");
    assertThat(IdxSource.ranges(new IdxLayout(2, 1, 1, true), 5)).as("no empty range").hasSize(2);
  }

  @Test
  void aTruncatedFileFailsNamingFileAndOffsetOrIsSkippedAcrossTheRanges() {
    IdxFixture fixture = IdxFixture.write(dir, "cut", 20, 2, 3, CLASSES, false, 3);
    byte[] plain = IdxFixture.imagesBytes(20, 2, 3, fixture.pixels());
    int present = 13 * 6 + 2; // 13 whole images, then 2 bytes of the 14th
    IdxFixture.writeFile(fixture.images(),
        Arrays.copyOf(plain, IdxFixture.IMAGES_HEADER_BYTES + present));

    assertThatThrownBy(() -> IdxSource.load(SPARK.session(), fixture.spec(CLASSES),
        BadRecordPolicy.FAIL, 4))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(fixture.images() + ", byte offset "
            + (IdxFixture.IMAGES_HEADER_BYTES + present) + ": ")
        .hasMessageContaining("image id 13");

    LoadedData skipped = IdxSource.load(SPARK.session(), fixture.spec(CLASSES),
        BadRecordPolicy.SKIP, 4);
    assertThat(skipped.count()).isEqualTo(13);
    assertThat(skipped.badRecords().skippedCount()).as("the 7 examples the file lacks")
        .isEqualTo(7);
    assertThat(sorted(skipped)).extracting(LabeledExample::id)
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 13).boxed().toList());
  }
}
