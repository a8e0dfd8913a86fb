package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollectiveOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    CollectiveOptions options = CollectiveOptions.fromMap(42, Map.of());

    assertThat(options.transport()).isEqualTo(Transport.AUTO);
    assertThat(options.bindHost()).isEqualTo("auto");
    assertThat(options.udpPort()).isZero();
    assertThat(options.timeoutMs()).isEqualTo(60_000);
    assertThat(options.chunkBytes()).isEqualTo(CollectiveOptionSpecs.CHUNK_BYTES_MAX);
    assertThat(options.mtuBytes()).isEqualTo(65504);
    assertThat(options.ipcTermBytes()).isEqualTo(64 << 20);
    assertThat(RuntimeOptions.of(options).driverIdleMaxParkUs()).isEqualTo(1000);
    for (OptionSpec<?> spec : CollectiveOptionSpecs.ALL) {
      assertThat(spec.key()).startsWith("collective.");
      assertThat(spec.doc()).isNotBlank();
      assertThat(spec.allowed()).isNotBlank();
      assertThat(spec.parse(spec.shownDefault())).as(spec.key()).isEqualTo(spec.defaultValue());
    }
  }

  @Test
  void everyKeyIsReadFromTheJobFile() {
    CollectiveOptions options = CollectiveOptions.fromMap(7, Map.ofEntries(
        Map.entry("collective.transport", "UDP"),
        Map.entry("collective.bind-host", "10.1.2.3"),
        Map.entry("collective.udp-port", "40000"),
        Map.entry("collective.timeout-ms", "1500"),
        Map.entry("collective.chunk-bytes", "1024"),
        Map.entry("collective.bucket-bytes", "4096"),
        Map.entry("collective.aeron-dir", "/tmp/x"),
        Map.entry("collective.ipc-term-bytes", "65536"),
        Map.entry("collective.udp-term-bytes", "131072"),
        Map.entry("collective.udp-socket-buffer-bytes", "65536"),
        Map.entry("collective.driver-timeout-ms", "2000"),
        Map.entry("collective.driver-idle-max-park-us", "50"),
        Map.entry("collective.authenticate", "true"),
        Map.entry("other.key", "ignored")));

    assertThat(options).isEqualTo(new CollectiveOptions(7, Transport.UDP, "10.1.2.3", 40000, 1500,
        1024, 4096, "/tmp/x", 65536, 131072, 65536, 2000, 50, true));
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "collective.transport, tcp, 'one of auto, ipc, udp'",
      "collective.bind-host, 0.0.0.0, 'no wildcard'",
      "collective.bind-host, 'a|b', 'no wildcard'",
      "collective.udp-port, 70000, '0..65535'",
      "collective.timeout-ms, 0, '1..86400000'",
      "collective.timeout-ms, soon, '1..86400000'",
      "collective.chunk-bytes, 65472, '32..65440'",
      "collective.chunk-bytes, 100, 'a multiple of 32'",
      "collective.bucket-bytes, 1023, '1024..1073741824'",
      "collective.bucket-bytes, 1026, 'a multiple of 4'",
      "collective.ipc-term-bytes, 100000, 'a power of two'",
      "collective.udp-term-bytes, 65536, 'at least 8 frames'",
      "collective.udp-socket-buffer-bytes, 1000, '65536..67108864'",
      "collective.driver-timeout-ms, 10, '1000..600000'",
      "collective.driver-idle-max-park-us, 0, '1..100000'",
  })
  void invalidValuesAreRefusedWithKeyValueAndAllowedRange(String key, String value, String allowed) {
    assertThatThrownBy(() -> CollectiveOptions.fromMap(1, Map.of(key, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("option '" + key + "': value '" + value + "' is not allowed; expected ")
        .hasMessageContaining(allowed);
  }

  @Test
  void aTermTooShortForTheChunkSizeIsRefusedNamingBoth() {
    assertThatThrownBy(() -> CollectiveOptions.fromMap(1, Map.of(
        "collective.chunk-bytes", "4096", "collective.ipc-term-bytes", "32768")))
        .hasMessageContaining("'collective.ipc-term-bytes'").hasMessageContaining("'32768'");
    assertThatThrownBy(() -> CollectiveOptions.fromMap(1, Map.of(
        "collective.chunk-bytes", "16384", "collective.ipc-term-bytes", "65536")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("option 'collective.ipc-term-bytes': value '65536' is not allowed; expected a"
            + " power of two in 65536..1073741824, at least 8 frames (collective.chunk-bytes=16384"
            + " makes 16448-byte frames, so at least 131584)");
    assertThat(CollectiveOptions.fromMap(1, Map.of(
        "collective.chunk-bytes", "8128", "collective.udp-term-bytes", "65536")).udpTermBytes())
        .isEqualTo(65536);
  }

  @Test
  void valuesBuiltInCodeAreCheckedLikeParsedOnes() {
    assertThatThrownBy(() -> CollectiveOptions.builder(1).chunkBytes(100))
        .isInstanceOf(ConfigException.class)
        .hasMessage("option 'collective.chunk-bytes': value '100' is not allowed; expected"
            + " 32..65440, a multiple of 32");
    assertThatThrownBy(() -> new CollectiveOptions(1, null, "127.0.0.1", 0, 1000, 1024, 4096, "",
        65536, 65536, 65536, 2000, 50, false))
        .hasMessage("option 'collective.transport': value 'null' is not allowed; expected one of"
            + " auto, ipc, udp");
    assertThatThrownBy(() -> new CollectiveOptions(1, Transport.UDP, "0.0.0.0", 0, 1000, 1024,
        4096, "", 65536, 65536, 65536, 2000, 50, false))
        .hasMessageContaining("'collective.bind-host'").hasMessageContaining("'0.0.0.0'")
        .hasMessageContaining("no wildcard");
    assertThatThrownBy(() -> new RuntimeOptions(Path.of("/tmp"), 10, 50))
        .hasMessageContaining("'collective.driver-timeout-ms'").hasMessageContaining("'10'")
        .hasMessageContaining("1000..600000");
    assertThat(Transport.parse(" Ipc ")).isEqualTo(Transport.IPC);
    assertThatThrownBy(() -> Transport.parse("tcp"))
        .hasMessage("option 'collective.transport': value 'tcp' is not allowed; expected one of"
            + " auto, ipc, udp");
  }

  @Test
  void unknownCollectiveKeysAreRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> CollectiveOptions.fromMap(1, Map.of("collective.timeout", "5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("option 'collective.timeout': unknown option; known collective"
            + " options: collective.transport, collective.bind-host, ")
        .hasMessageContaining("collective.timeout-ms");
  }

  @Test
  void defaultAeronDirIsPerJobAndNotNamedAfterTheToken() {
    long token = 0x1234_5678_9ABC_DEF0L;
    Path dir = CollectiveOptions.fromMap(token, Map.of()).resolvedAeronDir();

    assertThat(dir.getFileName().toString()).isEqualTo("aeron");
    String job = dir.getParent().getFileName().toString();
    assertThat(job).matches("spark-zero-[0-9a-f]{16}").doesNotContain("123456789abcdef0")
        .isEqualTo("spark-zero-" + CollectiveOptions.directoryId(token));
    assertThat(CollectiveOptions.fromMap(token + 1, Map.of()).resolvedAeronDir()).isNotEqualTo(dir);
    assertThat(CollectiveOptions.fromMap(1, Map.of("collective.aeron-dir", "/x/../y"))
        .resolvedAeronDir()).isEqualTo(Path.of("/y"));
  }

  /** With tags on, the largest chunk shrinks so that chunk, header and tag fill one frame. */
  @Test
  void authenticationCutsTheChunkToLeaveRoomForTheTag() {
    CollectiveOptions plain = CollectiveOptions.builder(1).build();
    CollectiveOptions tagged = CollectiveOptions.builder(1).authenticate(true).build();

    assertThat(plain.chunkBytes()).isEqualTo(65440);
    assertThat(tagged.chunkBytes()).isEqualTo(65408).isEqualTo(
        CollectiveOptionSpecs.CHUNK_BYTES_MAX_AUTHENTICATED);
    assertThat(tagged.mtuBytes()).isEqualTo(65408 + 32 + 32 + 32).isLessThanOrEqualTo(65504);
    assertThat(CollectiveOptions.builder(1).authenticate(true).chunkBytes(1024).build()
        .mtuBytes()).isEqualTo(1024 + 32 + 32 + 32);
  }

  /** Messages and the rendezvous carry a one-way hash of the token, never the token itself. */
  @Test
  void theWireCarriesAHashOfTheTokenNotTheToken() {
    long token = 0x1234_5678_9abc_def0L;
    long tag = CollectiveOptions.fromMap(token, Map.of()).wireTag();

    assertThat(tag).isNotEqualTo(token)
        .isEqualTo(CollectiveOptions.fromMap(token, Map.of()).wireTag())
        .isNotEqualTo(CollectiveOptions.fromMap(token + 1, Map.of()).wireTag());
    assertThat(Long.toHexString(tag)).isNotEqualTo(CollectiveOptions.directoryId(token));
  }

  /**
   * The default directory's parent is made owner-only before the driver writes into it, and goes
   * with the driver.
   */
  @Test
  void theDriversJobDirectoryIsOwnerOnlyAndRemovedWithIt() throws Exception {
    Path dir = CollectiveOptions.fromMap(new java.util.Random().nextLong(), Map.of()).resolvedAeronDir();
    Path job = dir.getParent();
    assertThat(job).doesNotExist();
    AeronRuntime runtime = AeronRuntime.acquire(new RuntimeOptions(dir, 10_000, 100));
    try {
      assertThat(runtime.ownsDriver()).isTrue();
      assertThat(java.nio.file.Files.getPosixFilePermissions(job))
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      assertThat(dir.resolve("cnc.dat")).exists();
    } finally {
      runtime.close();
    }
    assertThat(job).as("removed with the driver").doesNotExist();
  }

  @Test
  void channelsCarryTheStreamSettings() {
    CollectiveOptions options = CollectiveOptions.builder(1).chunkBytes(4096).termBytes(1 << 20)
        .build();

    assertThat(ChannelUris.ipcPublication(options, 77))
        .contains("term-length=1048576", "mtu=4160", "session-id=77");
    assertThat(ChannelUris.udpSubscription(options, 0)).contains("endpoint=127.0.0.1:0");
    assertThat(ChannelUris.udpPublication(options, "127.0.0.1:5000", -9))
        .contains("endpoint=127.0.0.1:5000", "mtu=4160", "so-sndbuf=2097152", "session-id=-9",
            "interface=127.0.0.1");
  }
}
