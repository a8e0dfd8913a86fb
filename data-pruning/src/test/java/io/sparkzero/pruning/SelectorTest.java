package io.sparkzero.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SelectorTest {

  private static final PruningOptions OPTIONS = PruningOptions.defaults();

  /** Unlabelled examples 0..n-1 whose score is their id. */
  private static ExampleScores scoreIsId(int n) {
    long[] ids = LongStream.range(0, n).toArray();
    return ExampleScores.unlabeled("test", ids, LongStream.range(0, n).asDoubleStream().toArray());
  }

  /** n examples in `classes` classes (id mod classes), random scores from `seed`. */
  private static ExampleScores labelled(int n, int classes, long seed) {
    Random random = new Random(seed);
    long[] ids = LongStream.range(0, n).map(i -> i * 7 + 3).toArray();
    int[] labels = IntStream.range(0, n).map(i -> i % classes).toArray();
    double[] scores = IntStream.range(0, n).mapToDouble(i -> random.nextDouble()).toArray();
    return ExampleScores.of("test", ids, labels, scores);
  }

  /** The same examples in a shuffled order. */
  private static ExampleScores shuffled(ExampleScores s, long seed) {
    Integer[] order = IntStream.range(0, s.size()).boxed().toArray(Integer[]::new);
    java.util.Collections.shuffle(Arrays.asList(order), new Random(seed));
    return ExampleScores.of(s.metric(), Arrays.stream(order).mapToLong(s::id).toArray(),
        Arrays.stream(order).mapToInt(s::label).toArray(), Arrays.stream(order).mapToDouble(s::score).toArray());
  }

  @Test
  void keepHardKeepsTheHighestScores() {
    Selection kept = Selector.select(scoreIsId(10), OPTIONS.withFraction(0.3).withKeep(KeepPolicy.HARD));
    assertThat(kept.keptIds()).containsExactly(7, 8, 9);
    assertThat(kept.summary().policyUsed()).isEqualTo(KeepPolicy.HARD);
  }

  @Test
  void keepEasyKeepsTheLowestScores() {
    Selection kept = Selector.select(scoreIsId(10), OPTIONS.withFraction(0.3).withKeep(KeepPolicy.EASY));
    assertThat(kept.keptIds()).containsExactly(0, 1, 2);
  }

  @Test
  void autoResolvesByExamplesPerClass() {
    ExampleScores scores = labelled(1200, 2, 1); // 600 per class
    SelectionSummary scarce = Selector.select(scores, OPTIONS.withFraction(0.5).withAbundantPerClass(1000)).summary();
    SelectionSummary abundant = Selector.select(scores, OPTIONS.withFraction(0.5).withAbundantPerClass(600)).summary();
    assertThat(scarce.policyUsed()).isEqualTo(KeepPolicy.EASY);
    assertThat(scarce.policyReason()).isEqualTo("keep: auto chose easy: 1200 examples / 2 classes = 600 per class"
        + " < pruning.abundant-per-class 1000, data is scarce");
    assertThat(abundant.policyUsed()).isEqualTo(KeepPolicy.HARD);
  }

  @Test
  void classFloorLiftsAClassTheRankingWouldStarve() {
    // class 1 (10 examples) is easier than every example of class 0 (90): keep-hard alone takes none of it
    int n = 100;
    long[] ids = LongStream.range(0, n).toArray();
    int[] labels = IntStream.range(0, n).map(i -> i < 90 ? 0 : 1).toArray();
    double[] scores = IntStream.range(0, n).mapToDouble(i -> i < 90 ? 10 + i : i - 90).toArray();
    ExampleScores s = ExampleScores.of("test", ids, labels, scores);
    PruningOptions hardHalf = OPTIONS.withFraction(0.5).withKeep(KeepPolicy.HARD);

    Selection noFloor = Selector.select(s, hardHalf.withClassFloor(0));
    Selection floored = Selector.select(s, hardHalf);

    assertThat(noFloor.summary().keptPerClass()).containsEntry(0, 50L).containsEntry(1, 0L);
    // ceil(0.5 x round(0.5 x 10)) = ceil(2.5) = 3, its three hardest
    assertThat(floored.summary().keptPerClass()).containsEntry(0, 47L).containsEntry(1, 3L);
    assertThat(floored.keptIds()).contains(97, 98, 99).doesNotContain(96);
    assertThat(floored.size()).isEqualTo(50);
  }

  @Test
  void keepsExactlyTheRoundedFractionAndEveryClassItsFloor() {
    ExampleScores s = labelled(997, 7, 2);
    for (double f : new double[] {0.01, 0.1, 0.333, 0.5, 0.77, 0.999}) {
      Selection kept = Selector.select(s, OPTIONS.withFraction(f).withKeep(KeepPolicy.HARD));
      assertThat(kept.size()).as("f = %s", f).isEqualTo(Math.max(1, Math.round(f * 997)));
      assertThat(kept.summary().keptTotal()).isEqualTo(kept.size());
      kept.summary().examplesPerClass().forEach((label, nc) -> assertThat(kept.summary().keptPerClass().get(label))
          .as("f = %s, class %s", f, label).isGreaterThanOrEqualTo((long) Math.ceil(0.5 * Math.round(f * nc))));
    }
  }

  @Test
  void floorsThatRoundAboveTheBudgetGiveWay() {
    // three classes of one example: each quota round(0.5) = 1, floors 3 > budget round(1.5) = 2
    ExampleScores s = ExampleScores.of("test", new long[] {1, 2, 3}, new int[] {0, 1, 2}, new double[] {1, 2, 3});
    assertThat(Selector.select(s, OPTIONS.withFraction(0.5).withClassFloor(1)).size()).isEqualTo(2);
  }

  @Test
  void sameSeedSameResultInAnyInputOrder() {
    ExampleScores s = labelled(500, 5, 3);
    PruningOptions options = OPTIONS.withFraction(0.4).withSeed(9);
    long[] once = Selector.select(s, options).keptIds();
    assertThat(Selector.select(s, options).keptIds()).isEqualTo(once);
    assertThat(Selector.select(shuffled(s, 4), options).keptIds()).isEqualTo(once);
    assertThat(once).isSorted();
  }

  @Test
  void tiesAreBrokenBySeed() {
    long[] ids = LongStream.range(0, 1000).toArray();
    ExampleScores ties = ExampleScores.unlabeled("test", ids, new double[1000]);
    PruningOptions half = OPTIONS.withFraction(0.5).withKeep(KeepPolicy.HARD);
    long[] seed1 = Selector.select(ties, half.withSeed(1)).keptIds();
    assertThat(Selector.select(shuffled(ties, 5), half.withSeed(1)).keptIds()).isEqualTo(seed1);
    assertThat(Selector.select(ties, half.withSeed(2)).keptIds()).isNotEqualTo(seed1);
    assertThat(seed1).isNotEqualTo(LongStream.range(0, 500).toArray()); // not by id
  }

  @Test
  void fractionOneKeepsAll() {
    ExampleScores s = labelled(300, 3, 6);
    Selection all = Selector.select(s, OPTIONS.withKeep(KeepPolicy.EASY));
    assertThat(all.keptIds()).containsExactly(LongStream.range(0, 300).map(i -> i * 7 + 3).toArray());
    assertThat(all.summary().fractionActual()).isEqualTo(1.0);
  }

  @Test
  void unlabelledDataHasNoFloorAndNoClasses() {
    Selection kept = Selector.select(scoreIsId(100), OPTIONS.withFraction(0.25).withKeep(KeepPolicy.HARD));
    assertThat(kept.keptIds()).containsExactly(LongStream.range(75, 100).toArray());
    assertThat(kept.summary().keptPerClass()).isEmpty();
  }

  @Test
  void aKeptSetSmallerThanOneStepIsRefused() {
    assertThatThrownBy(() -> Selector.select(scoreIsId(100), OPTIONS.withFraction(0.1), 64))
        .isInstanceOf(PruningException.class)
        .hasMessage("option 'pruning.fraction': kept 10 examples but the job needs at least world-size x batch"
            + " = 64 per step; raise pruning.fraction");
    assertThat(Selector.select(scoreIsId(100), OPTIONS.withFraction(0.64), 64).size()).isEqualTo(64);
  }
}
