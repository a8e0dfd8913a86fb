package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.worker.train.EpochResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on {@code local-cluster[2,1,2048]}: each rank runs in its own executor JVM, started
 * by Spark from {@code SPARK_HOME/jars} (assembled by the build under target/spark-home), and the
 * ranks talk over Aeron IPC through one shared media driver directory.
 */
class TrainingJobLocalClusterIT {

  @BeforeAll
  static void sparkHomeIsReady() throws Exception {
    Path home = Path.of(System.getenv("SPARK_HOME"));
    assertThat(home.resolve("jars")).isDirectory();
    if (!Files.exists(home.resolve("RELEASE"))) {
      Files.createFile(home.resolve("RELEASE"));
    }
  }

  /** The small job on a two-executor local cluster. */
  static Map<String, Object> clusterJob() {
    Map<String, Object> job = TrainingJobLocalIT.smallJob();
    job.put("spark.master", "local-cluster[2,1,2048]");
    job.put("spark-conf.spark.executor.memory", "1536m");
    job.put("spark-conf.spark.executor.extraClassPath", System.getProperty("sparkzero.classes"));
    job.put("spark-conf.spark.executorEnv.OMP_NUM_THREADS", "1");
    job.put("spark-conf.spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    job.put("spark-conf.spark.executor.extraJavaOptions", "-Djava.net.preferIPv4Stack=true");
    return job;
  }

  /**
   * Also: rank 0's steps cross from its executor JVM to the driver in Spark's heartbeats and task
   * results (Java-serialized), so the metrics file gets every step.
   */
  @Test
  void ranksInSeparateExecutorJvmsStayIdenticalAfterEveryEpoch(@TempDir Path dir) throws Exception {
    Map<String, Object> job = clusterJob();
    Path metrics = dir.resolve("metrics.jsonl");
    job.put("output.metrics", metrics.toString());
    JobConfig config = JobConfig.of(job);
    TrainingReport report;
    try (SparkSession spark = SparkSessions.create(config)) {
      report = TrainingJob.checked(config, new PrintStream(new ByteArrayOutputStream(), true)).run(spark);
    }
    long driverPid = ProcessHandle.current().pid();
    assertThat(report.epochs()).hasSize(3);
    for (EpochSummary epoch : report.epochs()) {
      assertThat(epoch.ranks()).extracting(EpochResult::paramHash).containsOnly(epoch.paramHash());
      assertThat(epoch.processIds()).doesNotContain(driverPid).doesNotHaveDuplicates();
    }
    assertThat(report.epochs().get(2).meanLoss()).isLessThan(report.epochs().get(0).meanLoss());
    assertThat(report.evaluation().accuracy()).isGreaterThan(0.8);
    int steps = report.epochs().stream().mapToInt(e -> e.ranks().get(0).steps()).sum();
    assertThat(Files.readAllLines(metrics).stream().filter(l -> l.contains("\"kind\":\"step\""))
        .map(l -> l.replaceAll(".*\"global_step\":(\\d+),.*", "$1")).distinct().count())
        .isEqualTo(steps);
  }

  /**
   * ZeRO stages 1, 2 and 3 end two epochs with the parameters of stage 0, bit for bit (every stage
   * runs the same layers on the same shapes and adds in the same order), with the ranks in
   * separate executor JVMs, the state kept on the executors between the epochs' barrier stages.
   */
  @Test
  void everyZeroStageEndsWithTheParametersOfStage0AcrossExecutors() throws Exception {
    Map<String, Object> job = clusterJob();
    job.put("data.train", "synthetic:n=1024,features=784,classes=10,seed=13");
    job.put("data.test", "synthetic:n=256,features=784,classes=10,seed=13,start=1024");
    job.put("train.epochs", 2);
    float[][] finalParams = new float[4][];
    long[][] stateBytes = new long[4][];
    JobConfig first = JobConfig.of(job);
    try (SparkSession spark = SparkSessions.create(first)) {
      for (int stage = 0; stage <= 3; stage++) {
        JobConfig config = first.with(io.sparkzero.driver.options.JobOptions.ZERO_STAGE, stage);
        TrainingReport report =
            TrainingJob.checked(config, new PrintStream(new ByteArrayOutputStream(), true)).run(spark);
        finalParams[stage] = report.finalParams();
        var state = report.epochs().get(1).ranks().get(0).stateBytes();
        stateBytes[stage] = new long[] {state.paramBytes(), state.gradBytes(), state.optimizerBytes()};
        long driverPid = ProcessHandle.current().pid();
        assertThat(report.epochs().get(1).processIds()).doesNotContain(driverPid).doesNotHaveDuplicates();
      }
    }
    for (int stage = 1; stage <= 3; stage++) {
      assertThat(finalParams[stage]).as("stage %d vs stage 0", stage)
          .containsExactly(finalParams[0]);
    }
    long psi = finalParams[0].length;
    // Stage 0 holds everything; each later stage shards one more component (2 ranks).
    assertThat(stateBytes[0]).containsExactly(4 * psi, 4 * psi, 8 * psi);
    assertThat(stateBytes[1][2]).isLessThanOrEqualTo(8 * (psi / 2 + 16));
    assertThat(stateBytes[2][1]).isLessThanOrEqualTo(4 * (psi / 2 + 16));
    assertThat(stateBytes[3][0]).isLessThanOrEqualTo(4 * (psi / 2 + 16));
  }
}
