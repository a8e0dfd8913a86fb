package io.sparkzero.pruning;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Turns one metric's scores into a kept set. A pure function of (scores, options): no Spark, no
 * state, the same answer for the same seed whatever the order of the input.
 *
 * <p>The rules, in order: rank every example by score (HARD: highest first, EASY: lowest first;
 * equal scores in a seeded random order keyed by id); give each class c its floor, its
 * ceil(classFloor x round(fraction x n_c)) best-ranked examples; fill the rest of the budget,
 * max(1, round(fraction x n)) in all, down the global ranking. The floor is why a class the metric
 * finds uniformly easy is not starved under HARD (Sorscher et al. found class balance essential).
 * When tiny budgets make the rounded floors add up to more than the budget, the budget wins: the
 * largest floors give up one example each until they fit.
 */
public final class Selector {

  /** Absorbs the float error of classFloor x quota (0.3 x 10 is 3.0000000000000004, not 4). */
  private static final double CEIL_SLACK = 1e-9;

  private Selector() {}

  /** {@link #select(ExampleScores, PruningOptions, long)} with no minimum beyond one example. */
  public static Selection select(ExampleScores scores, PruningOptions options) {
    return select(scores, options, 1);
  }

  /**
   * Selects the examples to keep. {@code minKeptExamples} is what one step needs (world size x
   * batch); a smaller kept set raises a {@link PruningException} before any ranking is done.
   */
  public static Selection select(ExampleScores scores, PruningOptions options, long minKeptExamples) {
    int n = scores.size();
    if (n == 0) {
      throw new IllegalArgumentException("metric '" + scores.metric() + "' scored no examples; nothing to select from");
    }
    int budget = (int) Math.max(1, Math.round(options.fraction() * n));
    if (budget < minKeptExamples) {
      throw new PruningException(PruningOptionSpecs.FRACTION_KEY, "kept " + budget + " examples but the job needs"
          + " at least world-size x batch = " + minKeptExamples + " per step; raise " + PruningOptionSpecs.FRACTION_KEY);
    }
    KeepPolicy.Decision decision = options.keep().resolve(scores, options.abundantPerClass());
    int[] ranking = rank(scores, decision.policy(), options.seed());
    int[] classOf = IntStream.range(0, n).map(scores::classIndex).toArray();
    long[] perClass = new long[scores.classes()];
    Arrays.stream(classOf).filter(c -> c >= 0).forEach(c -> perClass[c]++);

    boolean[] kept = new boolean[n];
    long[] floors = classFloors(perClass, options, budget);
    int taken = 0;
    for (int i : ranking) { // floors first, each class from its best-ranked examples
      if (classOf[i] >= 0 && floors[classOf[i]] > 0) {
        floors[classOf[i]]--;
        kept[i] = true;
        taken++;
      }
    }
    for (int r = 0; r < n && taken < budget; r++) {
      if (!kept[ranking[r]]) {
        kept[ranking[r]] = true;
        taken++;
      }
    }
    return collect(scores, options, decision, kept, classOf, perClass);
  }

  /** Example indices, best first in the policy's direction; ties by a hash of (seed, id), then id. */
  static int[] rank(ExampleScores scores, KeepPolicy direction, long seed) {
    long[] tieKey = IntStream.range(0, scores.size()).mapToLong(i -> SplitMix.hash(seed, scores.id(i))).toArray();
    Comparator<Integer> byScore = direction == KeepPolicy.HARD
        ? (a, b) -> Double.compare(scores.score(b), scores.score(a))
        : (a, b) -> Double.compare(scores.score(a), scores.score(b));
    return IntStream.range(0, scores.size()).boxed()
        .sorted(byScore.thenComparingLong(i -> tieKey[i]).thenComparingLong(scores::id))
        .mapToInt(Integer::intValue).toArray();
  }

  /** Each class's guaranteed count, ceil(classFloor x round(fraction x n_c)), trimmed to the budget. */
  static long[] classFloors(long[] perClass, PruningOptions options, int budget) {
    long[] floors = new long[perClass.length];
    long sum = 0;
    for (int c = 0; c < perClass.length; c++) {
      long quota = Math.round(options.fraction() * perClass[c]);
      floors[c] = (long) Math.ceil(options.classFloor() * quota - CEIL_SLACK);
      sum += floors[c];
    }
    for (; sum > budget; sum--) {
      int largest = 0;
      for (int c = 1; c < floors.length; c++) {
        largest = floors[c] > floors[largest] ? c : largest;
      }
      floors[largest]--;
    }
    return floors;
  }

  private static Selection collect(ExampleScores scores, PruningOptions options, KeepPolicy.Decision decision,
      boolean[] kept, int[] classOf, long[] perClass) {
    int[] labels = scores.classLabels();
    long[] keptPerClass = new long[labels.length];
    long[] ids = new long[kept.length];
    int count = 0;
    for (int i = 0; i < kept.length; i++) {
      if (kept[i]) {
        ids[count++] = scores.id(i);
        if (classOf[i] >= 0) {
          keptPerClass[classOf[i]]++;
        }
      }
    }
    ids = Arrays.copyOf(ids, count);
    Arrays.sort(ids);
    SortedMap<Integer, Long> examples = new TreeMap<>();
    SortedMap<Integer, Long> keptByLabel = new TreeMap<>();
    for (int c = 0; c < labels.length; c++) {
      examples.put(labels[c], perClass[c]);
      keptByLabel.put(labels[c], keptPerClass[c]);
    }
    return new Selection(ids, new SelectionSummary(scores.metric(), decision.policy(), decision.reason(),
        scores.size(), ids.length, options.fraction(), Collections.unmodifiableSortedMap(examples),
        Collections.unmodifiableSortedMap(keptByLabel)));
  }
}
