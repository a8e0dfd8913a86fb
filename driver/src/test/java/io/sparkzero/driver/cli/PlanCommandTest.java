package io.sparkzero.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** {@code spark-zero plan} in both forms, and {@code train} refusing a plan that does not fit. */
class PlanCommandTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(outBytes, true));
      System.setErr(new PrintStream(errBytes, true));
      int code = SparkZeroCli.execute(args);
      return new Run(code, outBytes.toString(), errBytes.toString());
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void theParameterCountFormPrintsThePapersFigures() {
    // ZeRO paper, 7.5B parameters on 64 GPUs with mixed-precision Adam: 120 GB, 31.4 GB,
    // 16.6 GB, 1.9 GB (decimal) per GPU = 111.8, 29.2, 15.5, 1.7 GiB; stage 2 here keeps an fp32
    // gradient shard: 2 psi + 16 psi / N = 15.7 GiB.
    Run run = run("plan", "--params", "7.5e9", "--ranks", "64", "--dtype", "fp16",
        "--optimizer", "adam", "--largest-layer", "1000");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("psi = 7,500,000,000 parameters, N = 64 ranks")
        .contains("K = 12 bytes/parameter");
    assertThat(run.out().lines().filter(l -> l.startsWith("    ")).toList())
        .satisfiesExactly(
            s0 -> assertThat(s0).startsWith("    0").contains("111.8 GiB"),
            s1 -> assertThat(s1).startsWith("    1").contains("29.2 GiB"),
            s2 -> assertThat(s2).startsWith("    2").contains("15.7 GiB"),
            s3 -> assertThat(s3).startsWith("    3").contains("1.7 GiB"));
  }

  @Test
  void aStageThatDoesNotFitTheBudgetNamesTheComponentAndAStageThatFits() {
    Run run = run("plan", "--params", "20037642", "--ranks", "2", "--optimizer", "adam",
        "--largest-layer", "16781312", "--stage", "0", "--budget", "250m");
    assertThat(run.code()).isEqualTo(PlanCommand.DOES_NOT_FIT);
    assertThat(run.out()).contains("does not fit: zero.stage 0 needs 305.9 MiB per rank")
        .contains("the optimizer state does not fit")
        .contains("zero.stage 1 needs 229.4 MiB and fits");
  }

  @Test
  void theJobFormReadsTheModelWorldSizeAndOptimizer() {
    Run run = run("plan", "--set", "model=mlp", "--set", "train.world-size=2",
        "--set", "optimizer.name=sgd", "--set", "zero.rank-memory-bytes=1000000000");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("psi = 50,890 parameters, N = 2 ranks")
        .contains("fits: zero.stage 0 needs");
  }

  @Test
  void badPlanArgumentsFailWithExitCode2() {
    assertThat(run("plan", "--params", "lots").code()).isEqualTo(2);
    assertThat(run("plan", "--params", "100", "--dtype", "fp8").err()).contains("fp8");
    assertThat(run("plan").err()).contains("--params");
  }

  @Test
  void trainRefusesAJobWhosePlanExceedsTheRankMemoryBeforeSparkStarts() {
    Run run = run("train", "--set", "model=wide-mlp", "--set", "train.world-size=2",
        "--set", "data.train=synthetic:n=64,features=784,classes=10,seed=1",
        "--set", "zero.rank-memory-bytes=200000000");
    assertThat(run.code()).as("a plan that does not fit").isEqualTo(3);
    assertThat(run.err()).contains("'zero.stage'").contains("zero.stage 0 needs 305.9 MiB")
        .contains("the optimizer state does not fit").contains("no zero.stage fits at 2 ranks")
        .contains("zero.stage 3 fits from 7 ranks").contains("zero.rank-memory-bytes");
    assertThat(SparkSession.getDefaultSession().isEmpty()).isTrue();
  }
}
