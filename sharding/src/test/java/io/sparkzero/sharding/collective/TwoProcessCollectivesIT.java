package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two ranks in two JVMs, as two Spark executors on one host: this JVM takes the Aeron directory's
 * lock and runs the media driver, the child JVM finds the lock taken and connects to that driver as
 * a client. Both meet through a {@link FileRendezvous} and check every collective.
 */
class TwoProcessCollectivesIT {

  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"IPC", "UDP"})
  void ranksInTwoJvmsShareOneDriverAndAgree(Transport transport, @TempDir Path tmp)
      throws Exception {
    Path aeronDir = TestAeron.freshDir();
    Path rendezvousDir = tmp.resolve("rendezvous");
    Path result = tmp.resolve("child-result.txt");
    Path childLog = tmp.resolve("child.log");
    long token = 0x7E57_0000L + transport.ordinal();
    AeronRuntime runtime = TestAeron.startRuntime(aeronDir);
    Process child = null;
    try {
      child = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
          "-cp", System.getProperty("java.class.path"), CollectiveChild.class.getName(),
          rendezvousDir.toString(), "1", "2", transport.configValue(), aeronDir.toString(),
          Long.toHexString(token), result.toString()))
          .redirectErrorStream(true)
          .redirectOutput(childLog.toFile())
          .start();
      Rendezvous rendezvous = new FileRendezvous(rendezvousDir, 0, 2, 30_000);
      try (Collectives c = AeronCollectives.create(
          rendezvous, TwoProcessScenario.options(token, aeronDir, transport), runtime)) {
        TwoProcessScenario.run(c);
      }
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exits").isTrue();
      String report = Files.exists(result) ? Files.readString(result) : "no result file";
      assertThat(child.exitValue())
          .as("child exit status; its report: %s; its log: %s", report, Files.readString(childLog))
          .isZero();
      assertThat(report).isEqualTo("ok ownsDriver=false");
      assertThat(runtime.ownsDriver()).isTrue();
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
      runtime.close();
      Files.deleteIfExists(EmbeddedDriver.lockFile(aeronDir));
    }
  }
}
