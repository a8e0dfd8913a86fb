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
