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

  @Test
  void ranksInSeparateExecutorJvmsStayIdenticalAfterEveryEpoch() throws Exception {
    Map<String, Object> job = TrainingJobLocalIT.smallJob();
    job.put("spark.master", "local-cluster[2,1,2048]");
    job.put("spark-conf.spark.executor.memory", "1536m");
    job.put("spark-conf.spark.executor.extraClassPath", System.getProperty("sparkzero.classes"));
    job.put("spark-conf.spark.executorEnv.OMP_NUM_THREADS", "1");
    job.put("spark-conf.spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
    job.put("spark-conf.spark.executor.extraJavaOptions", "-Djava.net.preferIPv4Stack=true");
    JobConfig config = JobConfig.of(job);
    TrainingReport report;
    try (SparkSession spark = SparkSessions.create(config)) {
      report = new TrainingJob(config, new PrintStream(new ByteArrayOutputStream(), true)).run(spark);
    }
    long driverPid = ProcessHandle.current().pid();
    assertThat(report.epochs()).hasSize(3);
    for (EpochSummary epoch : report.epochs()) {
      assertThat(epoch.ranks()).extracting(EpochResult::paramHash).containsOnly(epoch.paramHash());
      assertThat(epoch.processIds()).doesNotContain(driverPid).doesNotHaveDuplicates();
    }
    assertThat(report.epochs().get(2).meanLoss()).isLessThan(report.epochs().get(0).meanLoss());
    assertThat(report.evaluation().accuracy()).isGreaterThan(0.8);
  }
}
