package io.sparkzero.driver.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The real Fashion-MNIST files, when the machine has them: counts, shape, the balanced classes
 * and the first labels as published.
 */
class FashionMnistTest {

  private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  @ParameterizedTest(name = "{0}")
  @CsvSource({"train, 60000, 9 0 0 3 0 2 7 2 5 5", "t10k, 10000, 9 2 1 1 6 1 4 6 5 7"})
  void readsTheRealFiles(String split, int expectedCount, String firstLabels) {
    Path images = DIR.resolve(split + "-images-idx3-ubyte.gz");
    assumeTrue(Files.isReadable(images),
        "Fashion-MNIST not installed under " + DIR + " (package absent): skipping");
    long[] perClass = new long[10];
    List<Integer> first = new ArrayList<>();
    long[] firstImagePixelSum = new long[1];

    IdxReadResult result = new IdxReader(new Configuration(), BadRecordPolicy.FAIL)
        .read(IdxSpec.of(images.toString()), record -> {
          perClass[record.label()]++;
          if (record.id() < 10) {
            first.add(record.label());
          }
          if (record.id() == 0) {
            for (byte b : record.pixels()) {
              firstImagePixelSum[0] += b & 0xff;
            }
          }
        });

    assertThat(result.count()).isEqualTo(expectedCount);
    assertThat(result.rows()).isEqualTo(28);
    assertThat(result.cols()).isEqualTo(28);
    assertThat(result.badRecords().isEmpty()).isTrue();
    assertThat(perClass).containsOnly(expectedCount / 10);
    assertThat(first).map(String::valueOf).containsExactly(firstLabels.split(" "));
    assertThat(firstImagePixelSum[0]).isPositive();
  }
}
