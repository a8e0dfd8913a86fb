package io.sparkzero.driver.train;

import io.sparkzero.driver.options.JobConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test (run on request: {@code mvn verify -Dit.test=StreamVsHeldBench}): the
 * larger-than-memory job of {@link StreamLargerThanMemoryIT} (softmax regression on 16,384-feature
 * rows, 64 KiB each as floats, on {@code local-cluster[2,1,2048]}) run with the data held and
 * streamed, alternating, one epoch each, on a data set that fits in memory, so the two can be
 * compared. Prints, per run, the step loop's samples/s, the stage's, both executors' peak
 * resident memory, and for a streamed run the console's stream line (the slowest reader's rate,
 * the longest wait for data).
 *
 * <p>System properties: {@code bench.examples} (default 8000), {@code bench.rounds} (3), {@code
 * bench.executor-mb} (1536), {@code bench.modes} (memory,stream).
 */
class StreamVsHeldBench {

  @Test
  void heldAgainstStreamed() throws Exception {
    int examples = Integer.getInteger("bench.examples", 8000);
    int rounds = Integer.getInteger("bench.rounds", 3);
    int executorMb = Integer.getInteger("bench.executor-mb", 1536);
    String[] modes = System.getProperty("bench.modes", "memory,stream").split(",");
    Path dir = Files.createTempDirectory("stream-bench");
    Path model = dir.resolve("linear.zip");
    StreamLargerThanMemoryIT.writeLinearModel(model);
    Map<String, Object> job = TrainingJobLocalClusterIT.clusterJob();
    job.put("spark-conf.spark.executor.memory", executorMb + "m");
    job.put("model", "file:" + model.toUri());
    job.put("data.train", "parquet:" + dir.resolve("train").toUri() + ",features="
        + StreamLargerThanMemoryIT.FEATURES);
    job.put("data.test", "");
    job.put("data.shuffle-window", 256);
    job.put("data.read-ahead-bytes", 32 << 20);
    job.put("train.batch-size", 64);
    job.put("train.epochs", 1);
    job.put("optimizer.lr", 0.01);
    try (SparkSession spark = SparkSessions.create(JobConfig.of(job))) {
      StreamLargerThanMemoryIT.write(spark, 0, examples, dir.resolve("train"));
    }
    System.out.printf("bench: %d examples, %.2f GB as floats, %.1f MB of Parquet, executors %d MiB%n",
        examples, (double) examples * StreamLargerThanMemoryIT.FEATURES * 4 / 1e9,
        StreamLargerThanMemoryIT.parquetBytes(dir.resolve("train")) / 1e6, executorMb);
    for (int round = 1; round <= rounds; round++) {
      for (String mode : modes) {
        job.put("data.mode", mode);
        JobConfig config = JobConfig.of(job);
        TrainingReport report;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (SparkSession spark = SparkSessions.create(config)) {
          report = TrainingJob.checked(config, new PrintStream(log, true)).run(spark);
        }
        EpochSummary epoch = report.epochs().get(0);
        String stream = log.toString().lines().filter(l -> l.contains(" stream: "))
            .map(l -> "; " + l.substring(l.indexOf("stream: ") + 8)).findFirst().orElse("");
        System.out.printf("bench: round %d %s: step loop %.0f samples/s, stage %.0f samples/s,"
            + " peak RSS %s MiB%s%n", round, mode, epoch.trainSamplesPerSecond(),
            epoch.stageSamplesPerSecond(), epoch.memory().stream()
                .map(m -> String.valueOf(m.peakResidentBytes() >> 20)).toList(), stream);
      }
    }
  }
}
