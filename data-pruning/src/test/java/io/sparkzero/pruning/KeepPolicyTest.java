package io.sparkzero.pruning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class KeepPolicyTest {

  private static final long DEFAULT_ABUNDANT = PruningOptionSpecs.ABUNDANT_PER_CLASS.defaultValue();

  private static ExampleScores labelled(int n, int classes) {
    return ExampleScores.of("test", LongStream.range(0, n).toArray(),
        IntStream.range(0, n).map(i -> i % classes).toArray(), new double[n]);
  }

  private static ExampleScores unlabelled(int n) {
    return ExampleScores.unlabeled("test", LongStream.range(0, n).toArray(), new double[n]);
  }

  @Test
  void fullFashionMnistIsAbundantAndItsFiveThousandSubsetScarce() {
    assertThat(KeepPolicy.AUTO.resolve(labelled(60_000, 10), DEFAULT_ABUNDANT).policy()).isEqualTo(KeepPolicy.HARD);
    assertThat(KeepPolicy.AUTO.resolve(labelled(5_000, 10), DEFAULT_ABUNDANT).policy()).isEqualTo(KeepPolicy.EASY);
  }

  @Test
  void theThresholdItselfCountsAsAbundant() {
    assertThat(KeepPolicy.AUTO.resolve(labelled(200, 2), 100).policy()).isEqualTo(KeepPolicy.HARD);
    assertThat(KeepPolicy.AUTO.resolve(labelled(199, 2), 100).policy()).isEqualTo(KeepPolicy.EASY);
  }

  @Test
  void unlabelledDataComparesItsTotalWithTenTimesTheThreshold() {
    KeepPolicy.Decision abundant = KeepPolicy.AUTO.resolve(unlabelled(1000), 100);
    assertThat(abundant.policy()).isEqualTo(KeepPolicy.HARD);
    assertThat(abundant.reason()).isEqualTo("keep: auto chose hard: 1000 unlabelled examples >= 10 x"
        + " pruning.abundant-per-class = 1000, data is abundant");
    assertThat(KeepPolicy.AUTO.resolve(unlabelled(999), 100).policy()).isEqualTo(KeepPolicy.EASY);
  }

  @Test
  void hardAndEasyResolveToThemselves() {
    assertThat(KeepPolicy.EASY.resolve(labelled(60_000, 10), DEFAULT_ABUNDANT))
        .isEqualTo(new KeepPolicy.Decision(KeepPolicy.EASY, "keep: easy (as set)"));
    assertThat(KeepPolicy.HARD.resolve(unlabelled(10), DEFAULT_ABUNDANT).policy()).isEqualTo(KeepPolicy.HARD);
  }
}
