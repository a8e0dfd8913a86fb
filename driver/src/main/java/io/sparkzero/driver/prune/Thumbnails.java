package io.sparkzero.driver.prune;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.report.GreyImage;
import io.sparkzero.worker.data.LabeledExample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The examples the report draws for each class (the easiest, the hardest and, for a metric with
 * clusters, the most ambiguous) and their pixels. Only those few are fetched from the executors,
 * by id, so the driver never holds the data set.
 *
 * @param classes the picks, one entry per class in ascending label order (one entry, label -1,
 *     for unlabelled data); each array holds row indices into the scores
 * @param ambiguity whether the metric has an ambiguity measure (the ambiguous rows are empty if not)
 * @param featureCount features per example: a square number is drawn as a grey image
 * @param pixels each picked example's features, by id; empty when they are not a square image
 */
public record Thumbnails(List<ClassPicks> classes, boolean ambiguity, int featureCount, Map<Long, float[]> pixels) {

  /**
   * One class's picks, row indices into the scores.
   *
   * @param label the class, or {@link ExampleScores#UNLABELED}
   * @param easiest the lowest scores, lowest first
   * @param hardest the highest scores, highest first
   * @param ambiguous the smallest margins, smallest first; empty without an ambiguity measure
   */
  public record ClassPicks(int label, int[] easiest, int[] hardest, int[] ambiguous) {}

  /**
   * The {@code perRow} easiest, hardest and most ambiguous examples of each class. Ties go to the
   * lower row, so one outcome always gives the same pictures.
   *
   * @param margins one per row, small = ambiguous (ssp: the gap between the distances to the
   *     second-nearest and the nearest centroid); null for a metric without one
   */
  static List<ClassPicks> pick(ExampleScores scores, double[] margins, int perRow) {
    Map<Integer, List<Integer>> rowsByClass = new HashMap<>();
    for (int i = 0; i < scores.size(); i++) {
      rowsByClass.computeIfAbsent(scores.label(i), k -> new ArrayList<>()).add(i);
    }
    List<ClassPicks> picks = new ArrayList<>();
    for (int label : rowsByClass.keySet().stream().sorted().toList()) {
      List<Integer> rows = rowsByClass.get(label);
      Comparator<Integer> byScore = Comparator.comparingDouble(scores::score);
      int[] easiest = rows.stream().sorted(byScore).limit(perRow).mapToInt(Integer::intValue).toArray();
      int[] hardest = rows.stream().sorted(byScore.reversed().thenComparing(Comparator.naturalOrder()))
          .limit(perRow).mapToInt(Integer::intValue).toArray();
      int[] ambiguous = margins == null ? new int[0] : rows.stream()
          .sorted(Comparator.comparingDouble(i -> margins[i])).limit(perRow).mapToInt(Integer::intValue).toArray();
      picks.add(new ClassPicks(label, easiest, hardest, ambiguous));
    }
    return picks;
  }

  /**
   * Picks the examples of {@code scores} and fetches their pixels from {@code data} by id on the
   * executors (nothing is fetched when the features are not a square image).
   */
  static Thumbnails fetch(JavaRDD<LabeledExample> data, int featureCount, ExampleScores scores,
      double[] margins, int perRow) {
    List<ClassPicks> picks = pick(scores, margins, perRow);
    Map<Long, float[]> pixels = new HashMap<>();
    if (GreyImage.side(featureCount) > 0) {
      Set<Long> wanted = new HashSet<>();
      for (ClassPicks p : picks) {
        Stream.of(p.easiest(), p.hardest(), p.ambiguous()).flatMapToInt(Arrays::stream)
            .forEach(i -> wanted.add(scores.id(i)));
      }
      data.filter(e -> wanted.contains(e.id())).map(e -> new Tuple2<>(e.id(), e.features())).collect()
          .forEach(t -> pixels.put(t._1(), t._2()));
    }
    return new Thumbnails(picks, margins != null, featureCount, pixels);
  }
}
