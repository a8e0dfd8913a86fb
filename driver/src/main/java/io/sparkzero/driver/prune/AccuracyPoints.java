package io.sparkzero.driver.prune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An experiment's runs reduced to one point per (metric, keep, fraction): the mean test accuracy
 * over its seeds and the sample standard deviation, which is what the report draws and tabulates.
 */
final class AccuracyPoints {
  private AccuracyPoints() {}

  /**
   * One point.
   *
   * @param metric the pruning metric ({@link ExperimentResults#FULL_DATA}: none)
   * @param keep the end kept
   * @param fraction the kept share
   * @param meanAccuracy the mean test accuracy over the seeds
   * @param sdAccuracy the sample standard deviation (n − 1); NaN with one seed
   * @param seeds the number of runs behind the point
   * @param meanKeptExamples the mean number of examples trained on
   * @param meanTrainSeconds the mean training time
   */
  record Point(String metric, String keep, double fraction, double meanAccuracy, double sdAccuracy,
      int seeds, double meanKeptExamples, double meanTrainSeconds) {

    /** The series this point belongs to: {@code metric/keep}. */
    String series() {
      return metric + "/" + keep;
    }
  }

  /** The points, sorted by metric, keep, then fraction. */
  static List<Point> of(List<ExperimentResults.Run> runs) {
    Map<List<Object>, List<ExperimentResults.Run>> groups = new LinkedHashMap<>();
    for (ExperimentResults.Run run : runs) {
      groups.computeIfAbsent(List.of(run.metric(), run.keep(), run.fraction()), k -> new ArrayList<>()).add(run);
    }
    List<Point> points = new ArrayList<>();
    for (List<ExperimentResults.Run> group : groups.values()) {
      ExperimentResults.Run first = group.get(0);
      double[] accuracies = group.stream().mapToDouble(ExperimentResults.Run::testAccuracy).toArray();
      double mean = mean(accuracies);
      double squares = 0;
      for (double a : accuracies) {
        squares += (a - mean) * (a - mean);
      }
      double sd = accuracies.length < 2 ? Double.NaN : Math.sqrt(squares / (accuracies.length - 1));
      points.add(new Point(first.metric(), first.keep(), first.fraction(), mean, sd, accuracies.length,
          mean(group.stream().mapToDouble(ExperimentResults.Run::keptExamples).toArray()),
          mean(group.stream().mapToDouble(ExperimentResults.Run::trainSeconds).toArray())));
    }
    points.sort(Comparator.comparing(Point::metric).thenComparing(Point::keep)
        .thenComparingDouble(Point::fraction));
    return points;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
