package io.sparkzero.sharding.collective;

import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every collective option in one place: key, type, default, what is allowed and a one-line doc.
 * The driver's option table lists {@link #ALL} after the job's options (the README's reference
 * table is that table); {@link CollectiveOptions} parses and checks each value with its spec here
 * and adds the checks that relate two options.
 */
public final class CollectiveOptionSpecs {

  /** What every collective option's key starts with. */
  public static final String PREFIX = "collective.";

  /** Largest payload of one unfragmented Aeron frame (max MTU 65504 less the 32-byte frame header). */
  public static final int MAX_FRAME_PAYLOAD_BYTES = 65504 - 32;

  /** Bytes of the spark-zero header at the start of every message. */
  public static final int MESSAGE_HEADER_BYTES = MessageHeader.LENGTH;

  // Bounds of the numeric options, as the specs' allowed text states them.
  public static final int CHUNK_BYTES_MIN = 32;
  public static final int CHUNK_BYTES_MAX = MAX_FRAME_PAYLOAD_BYTES - MESSAGE_HEADER_BYTES;
  /** The largest chunk that leaves room for the tag of {@link #AUTHENTICATE}, 32-byte aligned. */
  public static final int CHUNK_BYTES_MAX_AUTHENTICATED =
      (CHUNK_BYTES_MAX - MessageMac.LENGTH) / 32 * 32;
  public static final long TIMEOUT_MS_MIN = 1;
  public static final long TIMEOUT_MS_MAX = 86_400_000L;
  public static final long BUCKET_BYTES_MIN = 1024;
  public static final long BUCKET_BYTES_MAX = 1L << 30;
  public static final int TERM_BYTES_MIN = 64 * 1024;
  public static final int TERM_BYTES_MAX = 1 << 30;
  public static final int SOCKET_BUFFER_BYTES_MIN = 64 * 1024;
  public static final int SOCKET_BUFFER_BYTES_MAX = 64 << 20;
  public static final long DRIVER_TIMEOUT_MS_MIN = 1000;
  public static final long DRIVER_TIMEOUT_MS_MAX = 600_000;
  public static final long DRIVER_IDLE_MAX_PARK_US_MIN = 1;
  public static final long DRIVER_IDLE_MAX_PARK_US_MAX = 100_000;

  /** Aeron refuses a stream whose MTU (a chunk and its headers) exceeds an eighth of its term. */
  public static final int MIN_FRAMES_PER_TERM = 8;

  private static final int CHUNK_ALIGNMENT_BYTES = 32;

  // The options, one spec each.
  public static final OptionSpec<Transport> TRANSPORT = OptionSpec.typed(
      "collective.transport", Transport.class, Transport.AUTO, "one of auto, ipc, udp",
      Transport::named, Transport::configValue,
      "auto: shared memory between ranks on one media driver, UDP otherwise; ipc or udp force one");
  public static final OptionSpec<String> BIND_HOST = OptionSpec.stringWhere(
      "collective.bind-host", BindAddress.AUTO,
      "auto, if:INTERFACE, an IPv4 network A.B.C.D/N, or an address of each host (no wildcard)",
      BindAddress::isValidSpec,
      "address each rank's UDP subscription binds to and advertises, resolved on the rank's host;"
          + " auto: its executor's address as Spark knows it (loopback outside Spark)");
  public static final OptionSpec<Integer> UDP_PORT = OptionSpec.intWhere(
      "collective.udp-port", 0, "0..65535 (0: any free port; P: rank r binds P + r)",
      port -> port >= 0 && port <= 65535,
      "UDP port of each rank's subscription");
  public static final OptionSpec<Long> TIMEOUT_MS = OptionSpec.longWhere(
      "collective.timeout-ms", 60_000, TIMEOUT_MS_MIN + ".." + TIMEOUT_MS_MAX,
      ms -> ms >= TIMEOUT_MS_MIN && ms <= TIMEOUT_MS_MAX,
      "how long a rank waits for a neighbour (connect, data, back pressure) before failing");
  public static final OptionSpec<Integer> CHUNK_BYTES = OptionSpec.intWhere(
      "collective.chunk-bytes", CHUNK_BYTES_MAX,
      CHUNK_BYTES_MIN + ".." + CHUNK_BYTES_MAX + ", a multiple of " + CHUNK_ALIGNMENT_BYTES,
      bytes -> bytes >= CHUNK_BYTES_MIN && bytes <= CHUNK_BYTES_MAX
          && bytes % CHUNK_ALIGNMENT_BYTES == 0,
      "payload bytes per message; the maximum fills one unfragmented 64 KiB Aeron frame");
  public static final OptionSpec<Long> BUCKET_BYTES = OptionSpec.longWhere(
      "collective.bucket-bytes", 8 << 20,
      BUCKET_BYTES_MIN + ".." + BUCKET_BYTES_MAX + ", a multiple of " + Float.BYTES,
      bytes -> bytes >= BUCKET_BYTES_MIN && bytes <= BUCKET_BYTES_MAX && bytes % Float.BYTES == 0,
      "all-reduce works through the data in buckets of this many bytes");
  public static final OptionSpec<String> AERON_DIR = OptionSpec.stringWhere(
      "collective.aeron-dir", "", "a local directory path, or empty", dir -> dir.indexOf('\0') < 0,
      "media driver directory shared by the job's ranks on a host; empty: /dev/shm/spark-zero-<id>/aeron,"
          + " <id> a hash of the job's token, the spark-zero-<id> directory owner-only and removed with the"
          + " driver");
  public static final OptionSpec<Integer> IPC_TERM_BYTES = termBytes(
      "collective.ipc-term-bytes", 64 << 20,
      "term length of each rank's shared-memory stream (3 terms are mapped; half a term may be in flight)");
  public static final OptionSpec<Integer> UDP_TERM_BYTES = termBytes(
      "collective.udp-term-bytes", 16 << 20,
      "term length of each rank's UDP stream");
  public static final OptionSpec<Integer> UDP_SOCKET_BUFFER_BYTES = OptionSpec.intWhere(
      "collective.udp-socket-buffer-bytes", 2 << 20,
      SOCKET_BUFFER_BYTES_MIN + ".." + SOCKET_BUFFER_BYTES_MAX,
      bytes -> bytes >= SOCKET_BUFFER_BYTES_MIN && bytes <= SOCKET_BUFFER_BYTES_MAX,
      "SO_SNDBUF, SO_RCVBUF and receiver window of UDP streams (the OS caps it at net.core.*mem_max)");
  public static final OptionSpec<Long> DRIVER_TIMEOUT_MS = OptionSpec.longWhere(
      "collective.driver-timeout-ms", 10_000, DRIVER_TIMEOUT_MS_MIN + ".." + DRIVER_TIMEOUT_MS_MAX,
      ms -> ms >= DRIVER_TIMEOUT_MS_MIN && ms <= DRIVER_TIMEOUT_MS_MAX,
      "how long a rank waits for the host's media driver to answer; never less than Aeron's liveness"
          + " limits, which are collective.timeout-ms + 5 s (at least 15 s) so that a paused rank or driver"
          + " is judged by the collective timeout");
  public static final OptionSpec<Long> DRIVER_IDLE_MAX_PARK_US = OptionSpec.longWhere(
      "collective.driver-idle-max-park-us", 1000,
      DRIVER_IDLE_MAX_PARK_US_MIN + ".." + DRIVER_IDLE_MAX_PARK_US_MAX,
      us -> us >= DRIVER_IDLE_MAX_PARK_US_MIN && us <= DRIVER_IDLE_MAX_PARK_US_MAX,
      "longest sleep of an idle media driver: shorter cuts UDP latency, longer saves CPU");

  public static final OptionSpec<Boolean> AUTHENTICATE = OptionSpec.bool(
      "collective.authenticate", false,
      "append an HMAC-SHA256 tag (32 bytes, keyed by the job's token, which only Spark carries) to"
          + " every message and drop messages whose tag is wrong; chunks then carry at most "
          + CHUNK_BYTES_MAX_AUTHENTICATED + " bytes");

  /** All collective options, in the order the README's reference table lists them. */
  public static final List<OptionSpec<?>> ALL = List.of(
      TRANSPORT, BIND_HOST, UDP_PORT, TIMEOUT_MS, CHUNK_BYTES, BUCKET_BYTES, AERON_DIR,
      IPC_TERM_BYTES, UDP_TERM_BYTES, UDP_SOCKET_BUFFER_BYTES, DRIVER_TIMEOUT_MS,
      DRIVER_IDLE_MAX_PARK_US, AUTHENTICATE);

  /**
   * The collective option named {@code key}; throws a {@link ConfigException} listing the known
   * keys when there is none.
   */
  public static OptionSpec<?> named(String key) {
    for (OptionSpec<?> spec : ALL) {
      if (spec.key().equals(key)) {
        return spec;
      }
    }
    throw new ConfigException(key, "unknown option; known collective options: "
        + ALL.stream().map(OptionSpec::key).collect(Collectors.joining(", ")));
  }

  /**
   * A term length; that it holds {@link #MIN_FRAMES_PER_TERM} frames of the chunk size is checked
   * by {@link CollectiveOptions}, which knows both.
   */
  private static OptionSpec<Integer> termBytes(String key, int def, String doc) {
    return OptionSpec.intWhere(key, def, "a power of two in " + TERM_BYTES_MIN + ".."
        + TERM_BYTES_MAX + ", at least " + MIN_FRAMES_PER_TERM + " frames",
        bytes -> bytes >= TERM_BYTES_MIN && bytes <= TERM_BYTES_MAX && Integer.bitCount(bytes) == 1,
        doc);
  }

  private CollectiveOptionSpecs() {}
}
