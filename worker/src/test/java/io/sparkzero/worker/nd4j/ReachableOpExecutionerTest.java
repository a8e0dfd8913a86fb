package io.sparkzero.worker.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkzero.worker.model.Models;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fenced executioner against ND4J's use-after-free: the same stress ({@link
 * BroadcastStress}) kills a JVM on the stock executioner within seconds (on a 2-core machine,
 * 2-8 s in five tries), and runs clean for 20 s on the fenced one.
 */
class ReachableOpExecutionerTest {

  @Test
  void buildingAModelInstallsTheFencedExecutioner() {
    Models.create("mlp", 1); // Dl4jModel's class initialisation installs it
    assertTrue(ReachableOps.installed(), Nd4j.getExecutioner().getClass().getName());
    INDArray x = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
    x.addiRowVector(Nd4j.createFromArray(new float[][] {{10, 20}}));
    assertEquals(Nd4j.createFromArray(new float[][] {{11, 22}, {13, 24}}), x);
  }

  @Test
  void theStockExecutionerDiesUnderTheStress(@TempDir Path dir) throws Exception {
    Run run = stress("stock", 90_000, dir);
    assertNotEquals(0, run.exitCode, "the stress no longer kills the stock executioner, so the"
        + " fenced run below proves nothing: was ND4J upgraded?\n" + run.output);
    assertTrue(run.output.contains("executioner=org.nd4j.linalg.cpu.nativecpu.ops."
        + "NativeOpExecutioner"), run.output);
    assertTrue(run.crashReport.contains("SIGSEGV"), run.crashReport);
  }

  @Test
  void theFencedExecutionerSurvivesTheSameStress(@TempDir Path dir) throws Exception {
    Run run = stress("fenced", 20_000, dir);
    assertEquals(0, run.exitCode, run.output + run.crashReport);
    assertTrue(run.output.contains("executioner=" + ReachableOpExecutioner.class.getName()),
        run.output);
    assertTrue(run.output.contains("done"), run.output);
  }

  private record Run(int exitCode, String output, String crashReport) {}

  private static Run stress(String executioner, long millis, Path dir)
      throws IOException, InterruptedException {
    Path crash = dir.resolve("hs_err.log");
    Path out = dir.resolve("out.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-XX:-CreateCoredumpOnCrash",
        "-XX:ErrorFile=" + crash, "-cp", System.getProperty("java.class.path"),
        BroadcastStress.class.getName(), executioner, Long.toString(millis)))
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    if (!process.waitFor(millis + 60_000, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("the stress did not end within a minute of its " + millis + " ms");
    }
    String crashReport = Files.exists(crash)
        ? Files.readString(crash, StandardCharsets.UTF_8) : "(no crash report)";
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        crashReport);
  }
}
