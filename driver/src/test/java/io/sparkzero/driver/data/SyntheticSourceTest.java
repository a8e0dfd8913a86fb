package io.sparkzero.driver.data;

import static io.sparkzero.driver.data.ExampleAssertions.assertSameExamples;
import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.data.LabeledExample;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Synthetic data: deterministic, independent of partitioning, in range and learnable. */
class SyntheticSourceTest {

  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  private static final SyntheticSpec SPEC = new SyntheticSpec(300, 16, 4, 7, 0.3);

  private static List<LabeledExample> generate(SyntheticSpec spec, int partitions) {
    LoadedData data = SyntheticSource.generate(SPARK.session(), spec, partitions);
    assertThat(data.examples().getNumPartitions()).isEqualTo(partitions);
    return data.examples().collect();
  }

  @Test
  void sameSeedGivesTheSameDataWhateverThePartitioning() {
    List<LabeledExample> one = generate(SPEC, 1);

    assertThat(one).extracting(LabeledExample::id)
        .containsExactly(LongStream.range(0, 300).boxed().toArray(Long[]::new));
    assertSameExamples(generate(SPEC, 3), one);
    assertSameExamples(generate(SPEC, 7), one);
  }

  @Test
  void anotherSeedGivesOtherData() {
    LabeledExample seven = new SyntheticExampleMaker(SPEC).make(5);
    LabeledExample eight =
        new SyntheticExampleMaker(new SyntheticSpec(300, 16, 4, 8, 0.3)).make(5);

    assertThat(eight.features()).isNotEqualTo(seven.features());
  }

  @Test
  void valuesAndLabelsAreInRangeAndEveryClassOccurs() {
    LoadedData data = DataSources.load(SPARK.session(), SPEC, BadRecordPolicy.FAIL);
    List<LabeledExample> examples = data.examples().collect();

    assertThat(data.count()).isEqualTo(300);
    assertThat(data.numFeatures()).isEqualTo(16);
    assertThat(data.numClasses()).isEqualTo(4);
    assertThat(examples).hasSize(300).allSatisfy(e -> {
      assertThat(e.features()).hasSize(16);
      for (float f : e.features()) {
        assertThat(f).isBetween(0f, 1f);
      }
    });
    assertThat(examples).extracting(LabeledExample::label).containsOnly(0, 1, 2, 3);
  }

  /** Nearest class mean, fitted on 1000 examples, labels 1000 others almost all right. */
  @Test
  void classesAreLearnable() {
    SyntheticSpec spec = new SyntheticSpec(2000, 64, 10, 3, SyntheticSpec.DEFAULT_NOISE);
    SyntheticExampleMaker maker = new SyntheticExampleMaker(spec);
    double[][] means = new double[10][64];
    int[] counts = new int[10];
    for (long id = 0; id < 1000; id++) {
      LabeledExample e = maker.make(id);
      counts[e.label()]++;
      for (int j = 0; j < 64; j++) {
        means[e.label()][j] += e.features()[j];
      }
    }
    int correct = 0;
    for (long id = 1000; id < 2000; id++) {
      LabeledExample e = maker.make(id);
      int best = -1;
      double bestDistance = Double.MAX_VALUE;
      for (int c = 0; c < 10; c++) {
        double distance = 0;
        for (int j = 0; j < 64; j++) {
          double d = e.features()[j] - means[c][j] / counts[c];
          distance += d * d;
        }
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      correct += best == e.label() ? 1 : 0;
    }

    assertThat(correct).isGreaterThan(950);
  }
}
