package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AeronRuntimeTest {

  @Test
  void oneRuntimePerDirectoryIsSharedWithinTheJvm() throws Exception {
    Path dir = TestAeron.freshDir();
    AeronRuntime first = TestAeron.startRuntime(dir);
    try {
      AeronRuntime again = AeronRuntime.acquire(RuntimeOptions.of(dir.resolve(".")));

      assertThat(again).isSameAs(first);
      assertThat(first.ownsDriver()).isTrue();
      assertThat(Files.exists(EmbeddedDriver.lockFile(dir))).isTrue();
      assertThat(first.locality()).contains(dir.toString());
      String driverId = EmbeddedDriver.readDriverId(dir); // what another JVM reads
      assertThat(driverId).as("the id written into the lock file").matches("[0-9a-f-]{36}");
      assertThat(first.locality()).endsWith("driver " + driverId);
      assertThat(first.nextStreamId()).isNotEqualTo(first.nextStreamId()).isPositive();
    } finally {
      first.close();
      Files.deleteIfExists(EmbeddedDriver.lockFile(dir));
    }
    assertThat(Files.exists(dir)).as("driver deletes its directory on shutdown").isFalse();
  }

  @Test
  void closedRuntimeIsReplacedByAFreshDriverWithAnotherLocality() throws Exception {
    Path dir = TestAeron.freshDir();
    AeronRuntime first = TestAeron.startRuntime(dir);
    String firstLocality = first.locality();
    first.close();
    AeronRuntime second = TestAeron.startRuntime(dir);
    try {
      assertThat(second).isNotSameAs(first);
      assertThat(second.ownsDriver()).isTrue();
      assertThat(second.locality()).isNotEqualTo(firstLocality);
    } finally {
      second.close();
      Files.deleteIfExists(EmbeddedDriver.lockFile(dir));
    }
  }
}
