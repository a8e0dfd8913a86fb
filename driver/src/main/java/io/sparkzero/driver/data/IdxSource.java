package io.sparkzero.driver.data;

import io.sparkzero.worker.data.LabeledExample;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * An IDX source read by the executors: the driver reads the two headers only. Plain files are
 * cut into one byte range per partition, each read by its own task (a seek into each file); a
 * gzipped file cannot be entered mid-stream, so one task inflates it whole (a one-pass read on an
 * executor, as {@code spark-zero import} makes one Parquet copy of it for data sets read often).
 *
 * <p>Like the Parquet source, a first pass counts the examples and collects the bad records
 * (under {@code fail}, the lowest id's fails the load with its file and byte offset, as one
 * sequential read would), and the returned RDD reads the ranges again when it is computed.
 */
final class IdxSource {
  private IdxSource() {}

  static LoadedData load(SparkSession spark, IdxSpec spec, BadRecordPolicy policy,
      int partitions) {
    IdxLayout layout = new IdxReader(spark.sparkContext().hadoopConfiguration(), policy)
        .layout(spec);
    List<int[]> ranges = ranges(layout, partitions);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf = jsc.broadcast(
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    JavaRDD<int[]> splits = jsc.parallelize(ranges, ranges.size());
    List<IdxReadResult> results;
    try {
      // Every range notes its bad records; the driver then fails on the lowest id's, as one
      // sequential read would, rather than on whichever task failed first.
      results = splits.map(r -> new IdxReader(conf.value().value(), BadRecordPolicy.SKIP)
          .read(spec, r[0], r[1], record -> { })).collect();
    } catch (Exception e) { // the job's failure: Spark's exception is checked, undeclared here
      throw unwrapped(e);
    }
    long count = 0;
    List<BadRecord> samples = new ArrayList<>();
    long skipped = 0;
    for (IdxReadResult result : results) {
      count += result.count();
      skipped += result.badRecords().skippedCount();
      for (BadRecord b : result.badRecords().samples()) {
        if (samples.size() < BadRecordReport.MAX_SAMPLES) {
          samples.add(b);
        }
      }
    }
    if (policy == BadRecordPolicy.FAIL && skipped > 0) {
      BadRecord first = samples.get(0);
      throw new DataFormatException(first.file(), first.location(),
          first.reason() + BadRecordLog.SKIP_HINT);
    }
    JavaRDD<LabeledExample> examples = splits.flatMap(r -> {
      List<LabeledExample> out = new ArrayList<>(r[1] - r[0]);
      new IdxReader(conf.value().value(), BadRecordPolicy.SKIP)
          .read(spec, r[0], r[1], record -> out.add(record.toExample()));
      return out.iterator();
    });
    return new LoadedData(examples, layout.rows() * layout.cols(), spec.numClasses(), count,
        skipped == 0 ? BadRecordReport.none() : new BadRecordReport(skipped, samples));
  }

  /** Id ranges {@code [from, to)}: one per partition for plain files, one in all when gzipped. */
  static List<int[]> ranges(IdxLayout layout, int partitions) {
    int n = layout.plain() ? Math.max(1, Math.min(partitions, layout.count())) : 1;
    List<int[]> ranges = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ranges.add(new int[] {(int) ((long) layout.count() * i / n),
          (int) ((long) layout.count() * (i + 1) / n)});
    }
    return ranges;
  }

  /**
   * The data error a task raised on an executor, as the driver's own read would have raised it
   * (one line naming the file and the offset), when Spark kept it as the failure's cause.
   */
  private static RuntimeException unwrapped(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DataFormatException || t instanceof java.io.UncheckedIOException) {
        return (RuntimeException) t;
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
  }
}
