package io.sparkzero.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-zero train} on a terminal: run inside a pseudo-terminal (util-linux's {@code
 * script}), it draws a live progress line and erases it before each message, so the epoch's
 * summary starts on a clean line.
 */
class ConsoleIT {
  private static final String ERASE = "\r\u001b[K";

  @TempDir
  Path dir;

  @Test
  void aTerminalGetsALiveProgressLineErasedBeforeEachMessage() throws Exception {
    Path script = Path.of("/usr/bin/script");
    assumeTrue(Files.isExecutable(script), "util-linux's script (a pseudo-terminal) is not installed");
    List<String> java = CliProcess.command("train", "--set", "model=mlp", "--set",
        "spark.master=local[2]", "--set", "data.train=synthetic:n=4096,features=784,classes=10,seed=2",
        "--set", "data.test=", "--set", "train.batch-size=32", "--set", "train.epochs=1",
        "--set", "collective.ipc-term-bytes=4194304", "--set", "spark-conf.spark.ui.enabled=false",
        "--set", "spark-conf.spark.executor.heartbeatInterval=200ms");
    String line = java.stream().map(ConsoleIT::quoted).collect(Collectors.joining(" "));
    // -e: script exits with the command's status; -f: flush as written; the typescript is unused.
    CliErrorsIT.Run run = CliProcess.run(dir, List.of(script.toString(), "-qefc", line,
        "/dev/null"));
    String console = run.stdoutText();
    assertThat(run.exitCode()).as(console).isZero();
    assertThat(console).containsPattern(ERASE.replace("[", "\\[") + "epoch 1/1 step \\d+/64"
        + " \\(\\d+%\\): loss [0-9.]+, [0-9,]+ samples/s, lr [0-9.e-]+; ETA epoch \\d+:\\d\\d");
    // The summary line follows an erase, never the tail of a progress line.
    assertThat(console).contains(ERASE + "spark-zero: epoch 1: loss ");
    assertThat(console.replace(ERASE, "\n")).doesNotContainPattern("samples/s[^\n]*spark-zero:");
    assertThat(run.stderr()).isEmpty();
  }

  private static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
