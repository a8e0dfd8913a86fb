package io.sparkzero.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RandomScoresTest {

  private static final long[] IDS = LongStream.range(0, 10_000).toArray();

  @Test
  void theSameSeedAndIdGiveTheSameScore() {
    ExampleScores once = RandomScores.of(7, IDS, null);
    ExampleScores again = RandomScores.of(7, IDS, null);
    for (int i = 0; i < IDS.length; i++) {
      assertThat(again.score(i)).isEqualTo(once.score(i));
    }
    assertThat(once.metric()).isEqualTo(RandomScores.METRIC);
    assertThat(RandomScores.score(7, 123)).isNotEqualTo(RandomScores.score(8, 123));
  }

  @Test
  void scoresAreUniformInZeroToOne() {
    double[] scores = LongStream.of(IDS).mapToDouble(id -> RandomScores.score(3, id)).toArray();
    assertThat(java.util.Arrays.stream(scores).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
    assertThat(java.util.Arrays.stream(scores).max().orElseThrow()).isLessThan(1.0);
    double mean = java.util.Arrays.stream(scores).average().orElseThrow();
    assertThat(mean).isCloseTo(0.5, within(0.02));
    int[] deciles = new int[10];
    for (double s : scores) {
      deciles[(int) (s * 10)]++;
    }
    for (int count : deciles) {
      assertThat(count).isBetween(850, 1150); // 1000 expected, sd about 30
    }
  }

  @Test
  void smallSeedsKeepUnrelatedSets() {
    // with a plain seed ^ id, seed 1 would keep nearly the same ids of 0..9999 as seed 0
    PruningOptions tenth = PruningOptions.defaults().withFraction(0.1).withKeep(KeepPolicy.HARD);
    long[] seed0 = Selector.select(RandomScores.of(0, IDS, null), tenth).keptIds();
    long[] seed1 = Selector.select(RandomScores.of(1, IDS, null), tenth).keptIds();
    long shared = LongStream.of(seed0).filter(id -> java.util.Arrays.binarySearch(seed1, id) >= 0).count();
    assertThat(shared).isLessThan(200); // about 100 expected by chance
  }
}
