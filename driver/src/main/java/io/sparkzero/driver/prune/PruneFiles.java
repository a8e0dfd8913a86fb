package io.sparkzero.driver.prune;

import io.sparkzero.driver.report.ReportOutput;
import io.sparkzero.pruning.ExampleScores;
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
 * example), {@code summary.json} and {@code report.html}. The two single files go to a temporary
 * name and are renamed, so a reader never sees half of one; the Parquet directory is committed by
 * Spark's output committer.
 */
final class PruneFiles {
  static final String SCORES = "scores.parquet";
  static final String SUMMARY = "summary.json";
  static final String REPORT = "report.html";

  private static final StructType SCORES_SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("score", DataTypes.DoubleType, false)
      .add("cluster", DataTypes.IntegerType, true) // null for a metric without clusters
      .add("kept", DataTypes.BooleanType, false);

  private PruneFiles() {}

  static void write(SparkSession spark, PruneOutcome outcome, ReportInputs inputs) {
    PruneSettings settings = outcome.settings();
    writeScores(spark, outcome, settings.file(SCORES));
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ReportOutput.write(conf, settings.file(SUMMARY), PruneSummary.json(outcome));
    ReportOutput.write(conf, settings.file(REPORT), PruneReportPage.render(outcome, inputs));
  }

  private static void writeScores(SparkSession spark, PruneOutcome outcome, String uri) {
    ExampleScores scores = outcome.scores().scores();
    List<Row> rows = new ArrayList<>(scores.size());
    for (int i = 0; i < scores.size(); i++) {
      rows.add(RowFactory.create(scores.id(i), scores.label(i), scores.score(i), outcome.scores().cluster(i),
          outcome.selection().keeps(scores.id(i))));
    }
    // The rows are on the driver already (selection ranks them there); one file is enough.
    spark.createDataFrame(rows, SCORES_SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite).parquet(uri);
  }
}
