package io.sparkzero.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkZeroCliTest {

  @TempDir
  Path dir;

  @Test
  void badConfigurationFailsWithExitCode2BeforeSparkStarts() throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, "train:\n  world-size: -1\n");
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(captured, true));
      code = SparkZeroCli.execute("train", job.toString());
    } finally {
      System.setErr(err);
    }
    assertThat(code).isEqualTo(2);
    assertThat(captured.toString()).contains("'train.world-size'").contains("'-1'").contains("[1, 4096]");
    assertThat(SparkSession.getActiveSession().isEmpty()).isTrue();
    assertThat(SparkSession.getDefaultSession().isEmpty()).isTrue();
  }

  @Test
  void badModelOrDataSpecFailsBeforeSparkStarts() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int badModel;
    int badData;
    int badCollective;
    int paramsBelowStage3;
    try {
      System.setErr(new PrintStream(captured, true));
      badModel = SparkZeroCli.execute("train", "--set", "model=resnet50");
      badData = SparkZeroCli.execute("train", "--set", "data.train=synthetic:n=0");
      badCollective = SparkZeroCli.execute("train", "--set", "collective.timeout-ms=soon");
      paramsBelowStage3 = SparkZeroCli.execute("train", "--set", "zero.stage=2", "--set",
          "offload.params=nvme");
    } finally {
      System.setErr(err);
    }
    assertThat(badModel).isEqualTo(2);
    assertThat(badData).isEqualTo(2);
    assertThat(badCollective).isEqualTo(2);
    assertThat(paramsBelowStage3).isEqualTo(2);
    assertThat(captured.toString())
        .contains("option 'offload.params': offload.params nvme needs zero.stage 3")
        .contains("'model'").contains("'resnet50'").contains("fmnist-cnn")
        .contains("'data.train'").contains("n = 0 must be >= 1")
        .contains("collective.timeout-ms").contains("soon");
    assertThat(SparkSession.getDefaultSession().isEmpty()).isTrue();
  }

  @Test
  void optionsTableListsEveryOption() {
    String table = OptionsCommand.table();
    assertThat(table).contains("`train.world-size`").contains("`collective.timeout-ms`");
  }
}
