package io.sparkzero.driver.prune;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningOptionSpecs;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Scores a prune run wrote ({@code scores.parquet}, column {@code score_<metric>}), read back so
 * that train can select from them without scoring again: a data team reviews prune's report,
 * then trains on what it kept. The scores must be of the training data itself: every one of its
 * ids, and no other.
 */
final class ScoresFile {
  private ScoresFile() {}

  /** The column a metric's scores are in: {@code score_} and the metric, dashes as underscores. */
  static String column(String metric) {
    return "score_" + metric.replace('-', '_');
  }

  /** {@code metric}'s scores in the file at {@code uri} (a scores.parquet or its directory). */
  static ExampleScores read(SparkSession spark, String uri, String metric) {
    String file = uri.endsWith(".parquet") || uri.endsWith(".parquet/") ? uri
        : (uri.endsWith("/") ? uri : uri + "/") + PruneFiles.SCORES;
    Dataset<Row> rows;
    try {
      rows = spark.read().parquet(file);
    } catch (Exception e) { // Spark's AnalysisException is checked in Java's eyes, undeclared in Scala's
      throw new PruningException(PruningOptionSpecs.SCORES_KEY, "cannot read " + file + ": "
          + firstLine(e) + "; give the scores.parquet that spark-zero prune wrote, or its directory");
    }
    String column = column(metric);
    List<String> columns = Arrays.asList(rows.columns());
    if (!columns.contains("id") || !columns.contains("label") || !columns.contains(column)) {
      throw new PruningException(PruningOptionSpecs.SCORES_KEY, file + " has the columns " + columns
          + " but pruning.metric=" + metric + " needs id, label and " + column
          + "; score that metric with prune (pruning.metric or pruning.also-score) first");
    }
    List<Row> collected;
    try {
      collected = rows.select("id", "label", column).collectAsList();
    } catch (RuntimeException e) {
      throw new PruningException(PruningOptionSpecs.SCORES_KEY, "cannot read " + file + ": " + firstLine(e));
    }
    long[] ids = new long[collected.size()];
    int[] labels = new int[ids.length];
    double[] scores = new double[ids.length];
    boolean labeled = true;
    for (int i = 0; i < ids.length; i++) {
      Row r = collected.get(i);
      ids[i] = ((Number) r.get(0)).longValue();
      labels[i] = ((Number) r.get(1)).intValue();
      scores[i] = ((Number) r.get(2)).doubleValue();
      labeled &= labels[i] != ExampleScores.UNLABELED;
      if (!Double.isFinite(scores[i])) {
        throw new PruningException(PruningOptionSpecs.SCORES_KEY, file + ": example id " + ids[i] + " has the "
            + column + " " + scores[i] + "; scores must be finite");
      }
    }
    return labeled ? ExampleScores.of(metric, ids, labels, scores) : ExampleScores.unlabeled(metric, ids, scores);
  }

  private static String firstLine(Exception e) {
    String message = e instanceof AnalysisException a ? a.getSimpleMessage() : String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
