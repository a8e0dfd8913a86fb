package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two executors on one host share the media driver of whichever started first. When that one is
 * killed, the other's next stage must not start on its client of the dead driver (the driver's
 * heartbeat still looks fresh for seconds): it takes the driver over at once, or connects to the
 * driver a replacement executor already launched.
 */
class AeronRuntimeTakeoverIT {
  private final List<Process> holders = new ArrayList<>();
  private final Path dir = TestAeron.freshDir();

  @AfterEach
  void cleanUp() throws Exception {
    for (Process p : holders) {
      kill(p);
    }
    AeronRuntime.releaseIfRunning(dir);
    Files.deleteIfExists(EmbeddedDriver.lockFile(dir));
    if (Files.exists(dir)) { // a killed driver's directory
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  @Test
  void aClientWhoseDriverWasKilledTakesTheDriverOverAtOnce() throws Exception {
    Process owner = holder();
    AeronRuntime client = TestAeron.startRuntime(dir);
    assertThat(client.ownsDriver()).isFalse();

    kill(owner);
    AeronRuntime next = TestAeron.startRuntime(dir);

    assertThat(next).isNotSameAs(client);
    assertThat(next.ownsDriver()).as("this JVM runs the next driver").isTrue();
    assertThat(next.locality()).isNotEqualTo(client.locality());
    assertThat(client.aeron().isClosed()).as("the dead driver's client is closed").isTrue();
    assertThat(next.aeron().isClosed()).isFalse();
  }

  @Test
  void aClientWhoseDriverWasReplacedConnectsToTheNewDriver() throws Exception {
    Process owner = holder();
    AeronRuntime client = TestAeron.startRuntime(dir);
    kill(owner);
    holder(); // the replacement executor got there first and runs the new driver

    AeronRuntime next = TestAeron.startRuntime(dir);

    assertThat(next).isNotSameAs(client);
    assertThat(next.ownsDriver()).isFalse();
    assertThat(next.locality()).isNotEqualTo(client.locality())
        .endsWith("driver " + EmbeddedDriver.readDriverId(dir));
  }

  /**
   * A JVM that comes while the lock's new holder has not yet replaced the dead driver's files
   * must not connect to those files (their heartbeat still looks fresh): it waits, and here, where
   * the holder goes without starting a driver, runs the next driver itself.
   */
  @Test
  void aNewJvmDoesNotConnectToADeadDriversFilesWhileTheLockChangesHands() throws Exception {
    kill(holder()); // the dead driver's files stay, its heartbeat fresh for the driver timeout
    Process taking = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
        dir.toString(), "1500"))
        .redirectErrorStream(true)
        .start();
    holders.add(taking);
    BufferedReader said = new BufferedReader(new InputStreamReader(taking.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    while ((line = said.readLine()) != null && !line.equals("locked")) {
      // logging's warnings first
    }
    assertThat(line).as("the lock holder took the lock").isEqualTo("locked");

    long start = System.nanoTime();
    AeronRuntime next = TestAeron.startRuntime(dir);

    assertThat(next.ownsDriver()).as("the lock came free: this JVM runs the next driver").isTrue();
    assertThat((System.nanoTime() - start) / 1_000_000).as("waited for the lock's holder")
        .isGreaterThan(500);
    assertThat(next.aeron().isClosed()).isFalse();
  }

  @Test
  void aClientOfALiveDriverIsKept() throws Exception {
    holder();
    AeronRuntime client = TestAeron.startRuntime(dir);

    assertThat(TestAeron.startRuntime(dir)).isSameAs(client);
    assertThat(client.ownsDriver()).isFalse();
  }

  /** Starts a {@link DriverHolder} and waits until it reports that it runs the driver. */
  private Process holder() throws Exception {
    Process p = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), DriverHolder.class.getName(),
        dir.toString()))
        .redirectErrorStream(true)
        .start();
    holders.add(p);
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null && !line.startsWith("ready ")) {
      seen.append(line).append('\n');
    }
    assertThat(line).as("the holder's output: %s", seen).isNotNull()
        .startsWith("ready true ");
    return p;
  }

  private static void kill(Process p) throws InterruptedException {
    p.destroyForcibly(); // SIGKILL: no shutdown hook, the lock file and directory stay behind
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }
}
