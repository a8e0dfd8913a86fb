package io.sparkzero.driver.prune;

import io.sparkzero.driver.report.ReportOutput;
import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.PruningMetric;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a run's three files into {@code pruning.output}: {@code scores.parquet} (one row per
 * example, a score column per metric), {@code summary.json} and {@code report.html}. The two single files go to a temporary
 * name and are renamed, so a reader never sees half of one; the Parquet directory is committed by
 * Spark's output committer.
 */
final class PruneFiles {
  static final String SCORES = "scores.parquet";
  static final String SUMMARY = "summary.json";
  static final String REPORT = "report.html";

  private PruneFiles() {}

  static void write(SparkSession spark, PruneOutcome outcome, ReportInputs inputs) {
    PruneSettings settings = outcome.settings();
    writeScores(spark, outcome, settings.file(SCORES));
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ReportOutput.write(conf, settings.file(SUMMARY), PruneSummary.json(outcome));
    ReportOutput.write(conf, settings.file(REPORT), PruneReportPage.render(outcome, inputs));
  }

  /**
   * One row per example: id, label (-1 for unlabelled data), score (the selecting metric's, as
   * before several metrics were scored), score_&lt;metric&gt; for every metric scored, cluster (ssp's;
   * null without ssp), kept.
   */
  static StructType schema(List<PruningMetric> metrics) {
    StructType schema = new StructType()
        .add("id", DataTypes.LongType, false)
        .add("label", DataTypes.IntegerType, false)
        .add("score", DataTypes.DoubleType, false);
    for (PruningMetric m : metrics) {
      schema = schema.add(m.column(), DataTypes.DoubleType, false);
    }
    return schema.add("cluster", DataTypes.IntegerType, true).add("kept", DataTypes.BooleanType, false);
  }

  private static void writeScores(SparkSession spark, PruneOutcome outcome, String uri) {
    ExampleScores scores = outcome.scores().scores();
    List<ExampleScores> all = List.copyOf(outcome.allScores().values());
    List<Row> rows = new ArrayList<>(scores.size());
    for (int i = 0; i < scores.size(); i++) {
      Object[] row = new Object[all.size() + 5];
      row[0] = scores.id(i);
      row[1] = scores.label(i);
      row[2] = scores.score(i);
      for (int m = 0; m < all.size(); m++) {
        row[3 + m] = all.get(m).score(i);
      }
      row[3 + all.size()] = outcome.scores().cluster(i);
      row[4 + all.size()] = outcome.selection().keeps(scores.id(i));
      rows.add(RowFactory.create(row));
    }
    // The rows are on the driver already (selection ranks them there); one file is enough.
    spark.createDataFrame(rows, schema(outcome.settings().metrics())).coalesce(1).write()
        .mode(SaveMode.Overwrite).parquet(uri);
  }
}
