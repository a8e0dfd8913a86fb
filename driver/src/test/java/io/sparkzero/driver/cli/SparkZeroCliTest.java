package io.sparkzero.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.offload.TmpfsMounts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SparkZeroCliTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final TmpfsMounts disks = new TmpfsMounts();

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
  void nvmePathTooSmallForTheLocalRanksFailsWithExitCode2BeforeSparkStarts() throws Exception {
    Path small = disks.mount(64 << 10);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(captured, true));
      code = SparkZeroCli.execute("train", "--set", "model=mlp",
          "--set", "data.train=synthetic:n=256,features=784,classes=10,seed=1",
          "--set", "spark.master=local[2]", "--set", "zero.stage=1",
          "--set", "offload.optimizer=nvme", "--set", "offload.nvme.path=" + small);
    } finally {
      System.setErr(err);
    }
    assertThat(code).isEqualTo(2);
    assertThat(captured.toString())
        .contains("spark-zero: error: option 'offload.nvme.path': " + small
            + " has 65536 bytes (64.0 KiB) free")
        .containsPattern("needs 2 x \\d+ = \\d+ bytes")
        .contains("point the option at a larger disk");
    assertThat(SparkSession.getActiveSession().isEmpty()).isTrue();
    assertThat(SparkSession.getDefaultSession().isEmpty()).isTrue();
    assertThat(small).as("no rank started, nothing written").isEmptyDirectory();
  }

  @Test
  void optionsTableListsEveryOption() {
    String table = OptionsTable.markdown();
    assertThat(table).contains("`train.world-size`").contains("`collective.timeout-ms`");
  }
}
