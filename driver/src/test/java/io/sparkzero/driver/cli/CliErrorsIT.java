package io.sparkzero.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.driver.errors.ErrorKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import io.sparkzero.worker.offload.TmpfsMounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's error report end to end. The CLI runs as its own process (this JVM's java,
 * class path and add-opens flags, the shipped logging configuration found by its resource name),
 * so everything a user's console would show counts: each kind of error prints exactly its error
 * line (and hint) on stderr, with no log lines and no stack trace, and ends with its exit code.
 * Jobs are tiny (the mlp model, a few hundred synthetic examples) to keep the class near a minute.
 *
 * <p>No internal error is triggered here: every failure the CLI can be driven into honestly is a
 * user error; {@code io.sparkzero.driver.errors.UserErrorsTest} covers the internal report.
 */
class CliErrorsIT {
  private static final String ERROR = "spark-zero: error: ";
  private static final String HINT = "spark-zero: hint: ";

  @TempDir
  Path dir;

  /** A finished CLI process: its exit code, its output lines and its standard output as is. */
  record Run(int exitCode, List<String> stdout, List<String> stderr, String stdoutText) {}

  @Test
  void aMetricsFileThatIsNotThereExits2() throws Exception {
    Path missing = dir.resolve("no-such-metrics.jsonl");
    Run run = cli("report", missing.toString(), dir.resolve("report.html").toString());
    assertThat(run.stderr()).singleElement().asString().startsWith(ERROR).contains(missing.toString())
        .doesNotContain("Exception");
    assertThat(run.exitCode()).isEqualTo(2);
  }

  @Test
  void badConfigurationOrUsageExits2WithOneLine() throws Exception {
    Run bad = cli("train", "--set", "train.world-size=-1");
    assertThat(bad.stderr()).containsExactly(ERROR + "option 'train.world-size': value '-1' is not"
        + " allowed; expected an integer in [1, 4096]");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.stdout()).isEmpty();

    Run adversarial = cli("train", "--set", "adv.tau=2");
    assertThat(adversarial.stderr()).containsExactly(ERROR + "option 'adv.tau': value '2' is not allowed;"
        + " expected only with adv.mode conadv or disadv (adv.mode is none): set adv.mode, or leave adv.tau out");
    assertThat(adversarial.exitCode()).isEqualTo(2);

    Run usage = cli("train", "--bogus");
    assertThat(usage.stderr()).containsExactly(ERROR + "Unknown option: '--bogus'",
        HINT + "'spark-zero train --help' shows the usage");
    assertThat(usage.exitCode()).isEqualTo(2);
  }

  @Test
  void unlabelledDataWithALabelMetricOrForTrainingExits2BeforeSpark() throws Exception {
    String data = "idx:/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz,labels=none";
    Run prune = cli("prune", "--set", "data.train=" + data, "--set", "pruning.metric=el2n",
        "--set", "pruning.output=" + dir.toUri());
    assertThat(prune.stderr()).containsExactly(ERROR + "option 'pruning.metric': el2n needs labels, but"
        + " data.train (" + data + ") has none; use ssp or random, or give a labels file (labels=<uri>)");
    assertThat(prune.exitCode()).isEqualTo(2);
    assertThat(prune.stdout()).isEmpty(); // no Spark session was started

    Run train = cli("train", "--set", "data.train=" + data);
    assertThat(train.stderr()).singleElement().asString().startsWith(ERROR + "option 'data.train': '" + data
        + "' has no labels (labels=none)");
    assertThat(train.exitCode()).isEqualTo(2);
  }

  @Test
  void verboseBeforeOrAfterTheSubcommandAddsTheStackTrace() throws Exception {
    String line = ERROR + "option 'train.world-size': value '-1' is not allowed; expected an"
        + " integer in [1, 4096]";
    for (String[] args : List.of(new String[] {"--verbose", "train"},
        new String[] {"train", "--verbose"})) {
      Run run = cli(args[0], args[1], "--set", "train.world-size=-1");
      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.stderr().get(0))
          .startsWith("io.sparkzero.sharding.options.ConfigException: option 'train.world-size'");
      assertThat(run.stderr()).anyMatch(l -> l.startsWith("\tat ")).endsWith(line);
    }
  }

  @Test
  void truncatedIdxFileExits2NamingFileAndOffset() throws Exception {
    int rows = 28;
    int promised = 20;
    int present = 10;
    Path images = dir.resolve("cut-images-idx3-ubyte");
    ByteBuffer header = ByteBuffer.allocate(16).putInt(0x803).putInt(promised).putInt(rows)
        .putInt(rows);
    byte[] body = new byte[present * rows * rows + 5];
    Files.write(images, concat(header.array(), body));
    ByteBuffer labels = ByteBuffer.allocate(8 + promised).putInt(0x801).putInt(promised);
    Files.write(dir.resolve("cut-labels-idx1-ubyte"), labels.array());

    Run run = cli(job("data.train=idx:" + images));
    assertThat(run.stderr()).containsExactly(ERROR + images + ", byte offset " + (16 + body.length)
        + ": data ends here, 5 of 784 bytes into image id 10 (ids count from 0), but the header promises 20"
        + " images: 15696 bytes uncompressed; the file is truncated, so 10 example(s) from id 10 on"
        + " are missing; set data.on-bad-record=skip to leave such records out and report them");
    assertThat(run.exitCode()).isEqualTo(2);
  }

  @Test
  void aPlanThatDoesNotFitExits3() throws Exception {
    Run run = cli(job("zero.rank-memory-bytes=100000"));
    assertThat(run.stderr()).containsExactly(ERROR + "option 'zero.stage': zero.stage 0 needs 923.2"
        + " KiB per rank (parameters 198.8 KiB, gradients 198.8 KiB, optimizer state 397.6 KiB,"
        + " buffers 128.0 KiB) but the budget is 97.7 KiB: the parameters do not fit; no zero.stage"
        + " fits at 2 ranks; no world size helps: the zero.stage 3 buffers alone need 523.0 KiB"
        + " (gathered layers and layer gradients in flight), leaving no room for a shard in the"
        + " budget of 97.7 KiB (per-rank budget: zero.rank-memory-bytes)",
        HINT + "'spark-zero plan JOB.yaml' shows what each zero.stage needs per rank");
    assertThat(run.exitCode()).isEqualTo(3);
  }

  @RegisterExtension final TmpfsMounts disks = new TmpfsMounts();

  /**
   * Checkpoints on a file system with no room for a shard: the epoch is not restarted (the next
   * attempt would find no more room), and the run stops with one line naming the path.
   */
  @Test
  void aFullFileSystemExits6NamingThePathWithoutRestarts() throws Exception {
    Path full = disks.mount(64 << 10);
    String checkpoints = full.resolve("ckpt").toUri().toString();
    Run run = cli(job("checkpoint.path=" + checkpoints, "checkpoint.every-steps=2",
        "train.max-restarts=3"));
    assertThat(run.stderr()).contains(ERROR + "checkpoint step 2 is not committed: rank 0 could"
        + " not write its shard under " + checkpoints.replace("file:///", "file:/")
        + ": java.io.IOException: No space left on device",
        HINT + "free space on that file system, or point the path elsewhere (checkpoint.path,"
            + " offload.nvme.path, output.*); committed checkpoints are intact");
    assertThat(run.stdoutText()).contains("not restarting").doesNotContain("restart 1 of");
    assertThat(run.exitCode()).isEqualTo(ErrorKind.STORAGE_FULL.exitCode()).isEqualTo(6);
  }

  /**
   * A run that succeeds logs only its checkpoints on stderr (no library output); the same job
   * resuming from its newest step, damaged, stops with what to do.
   */
  @Test
  void aDamagedCheckpointExits4WithWhatToDo() throws Exception {
    Path checkpoints = dir.resolve("ckpt");
    String path = "checkpoint.path=" + checkpoints.toUri();
    Run first = cli(job(path));
    assertThat(first.stderr()).as("a clean run's stderr: spark-zero's checkpoint log only")
        .allMatch(l -> l.matches("[\\d/ :]+ INFO CheckpointStore: committed step \\d+ .*"));
    assertThat(first.exitCode()).isEqualTo(ErrorKind.SUCCESS);
    Path step;
    try (Stream<Path> steps = Files.list(checkpoints)) {
      step = steps.filter(p -> p.getFileName().toString().startsWith("step-")).max(Path::compareTo)
          .orElseThrow();
    }
    Path shard = step.resolve("rank-00001.shard");
    long bytes = Files.size(shard);
    Files.write(shard, new byte[0]);

    Run resumed = cli(job(path, "train.epochs=2"));
    assertThat(resumed.stderr()).containsExactly(
        ERROR + "corrupt checkpoint file " + shard.toUri().toString().replace("file:///", "file:/")
            + " at byte 0: zero length; the manifest records " + bytes + " bytes. This step cannot"
            + " be loaded; resume from an older committed step.",
        HINT + "set checkpoint.on-corrupt: previous to resume from the committed step before it,"
            + " or point checkpoint.path at an empty directory to start over");
    assertThat(resumed.exitCode()).isEqualTo(4);
  }

  /**
   * fp16 with a loss scale of 2^60 overflows every gradient, and 3 skips in a row are allowed: the
   * fourth stops the run (one rank, so the message names rank 0).
   */
  /** Also: the metrics file ends with the same message, and the skipped steps are in it. */
  @Test
  void aDivergedRunExits5() throws Exception {
    Path metrics = dir.resolve("diverged.jsonl");
    Run run = cli(job("train.world-size=1", "spark.master=local[1]", "train.precision=fp16",
        "train.loss-scale=1152921504606846976", "train.max-skipped-steps=3",
        "output.metrics=" + metrics));
    String message = "global step 3 (0-based), rank 0: 4 steps in"
        + " a row had an inf or NaN gradient on some rank and were skipped (allowed: 3,"
        + " train.max-skipped-steps); loss scale 7.2057594E16. The run has diverged: lower the"
        + " learning rate, lengthen the warm-up or clip gradients (optimizer.clip-norm). Parameters"
        + " and checkpoints hold the last finite step's values.";
    assertThat(run.stderr()).containsExactly(ERROR + message);
    assertThat(run.exitCode()).isEqualTo(5);
    List<String> lines = Files.readAllLines(metrics);
    assertThat(lines.get(lines.size() - 1)).contains("\"status\":\"failed\"",
        "\"error\":\"" + message + "\"");
    assertThat(lines).filteredOn(l -> l.contains("\"skipped\":true")).hasSize(3);
  }

  /** {@code train} with a tiny job's options, then {@code overrides} (later ones win). */
  private static String[] job(String... overrides) {
    List<String> args = new ArrayList<>(List.of("train"));
    for (String option : List.of("model=mlp", "spark.master=local[2]", "train.world-size=2",
        "data.train=synthetic:n=256,features=784,classes=10,seed=11", "data.test=",
        "train.batch-size=32", "train.epochs=1", "collective.timeout-ms=60000",
        "collective.ipc-term-bytes=4194304", "spark-conf.spark.ui.enabled=false")) {
      args.add("--set");
      args.add(option);
    }
    for (String option : overrides) {
      args.add("--set");
      args.add(option);
    }
    return args.toArray(String[]::new);
  }

  private Run cli(String... args) throws IOException, InterruptedException {
    return CliProcess.run(dir, CliProcess.command(args));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
