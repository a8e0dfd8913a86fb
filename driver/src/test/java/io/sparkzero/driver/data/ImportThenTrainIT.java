package io.sparkzero.driver.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.driver.cli.SparkZeroCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's path through the command line: {@code spark-zero import} turns IDX files into
 * Parquet, then {@code spark-zero train} trains two ranks on that Parquet data set, held and
 * streamed.
 */
class ImportThenTrainIT {

  @TempDir
  Path dir;

  @Test
  void importedParquetTrainsOnTwoRanks() {
    IdxFixture idx = IdxFixture.write(dir, "small", 512, 28, 28, 10, true, 3);
    String parquet = dir.resolve("small.parquet").toUri().toString();
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int imported;
    int trained;
    int streamed;
    try {
      System.setOut(new PrintStream(captured, true));
      imported = SparkZeroCli.execute("import", idx.images().toString(), parquet, "--master", "local[2]");
      trained = SparkZeroCli.execute("train", "--set", "model=mlp", "--set", "data.train=parquet:" + parquet,
          "--set", "data.test=parquet:" + parquet, "--set", "train.batch-size=32",
          "--set", "train.epochs=2", "--set", "spark-conf.spark.ui.enabled=false",
          // 4 MiB shared-memory terms (3 per rank in /dev/shm) instead of 64 MiB: fits a
          // container's default 64 MiB /dev/shm; a term still holds 64 one-chunk messages.
          "--set", "collective.ipc-term-bytes=4194304");
      streamed = SparkZeroCli.execute("train", "--set", "model=mlp", "--set",
          "data.train=parquet:" + parquet, "--set", "data.mode=stream", "--set",
          "train.batch-size=32", "--set", "train.epochs=2", "--set",
          "spark-conf.spark.ui.enabled=false", "--set", "collective.ipc-term-bytes=4194304");
    } finally {
      System.setOut(stdout);
    }
    String log = captured.toString();
    assertThat(imported).as(log).isZero();
    assertThat(log).contains("imported 512 examples of 784 features");
    assertThat(trained).as(log).isZero();
    assertThat(log).contains("512 training examples, 2 ranks x batch 32, 8 steps per epoch")
        .contains("epoch 2: loss").contains("on all 2 ranks").contains("test accuracy");
    assertThat(streamed).as(log).isZero();
    assertThat(log).containsPattern("streaming 512 examples in \\d+ chunks")
        .contains("epoch 2 stream: slowest reader");
  }
}
