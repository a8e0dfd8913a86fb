package io.sparkzero.sharding.collective;

import java.util.List;

/**
 * Every collective option in one place: key, default, allowed range and a one-line doc. The
 * driver's option registry lists {@link #ALL} (and the README's reference table must name each
 * key); {@link CollectiveOptions} validates against the bounds defined here.
 */
public final class CollectiveOptionSpecs {

  /** Largest payload of one unfragmented Aeron frame (max MTU 65504 less the 32-byte frame header). */
  public static final int MAX_FRAME_PAYLOAD_BYTES = 65504 - 32;

  /** Bytes of the spark-zero header at the start of every message. */
  public static final int MESSAGE_HEADER_BYTES = MessageHeader.LENGTH;

  // Bounds of the numeric options, as the specs' allowed text states them.
  public static final int CHUNK_BYTES_MIN = 32;
  public static final int CHUNK_BYTES_MAX = MAX_FRAME_PAYLOAD_BYTES - MESSAGE_HEADER_BYTES;
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

  // The options, one spec each.
  public static final OptionSpec TRANSPORT = new OptionSpec(
      "collective.transport", "auto", "one of auto, ipc, udp",
      "auto: shared memory between ranks on one media driver, UDP otherwise; ipc or udp force one");
  public static final OptionSpec BIND_HOST = new OptionSpec(
      "collective.bind-host", "127.0.0.1", "an address of this host that peers can reach (no wildcard)",
      "address the UDP subscription binds to and advertises to the left neighbour");
  public static final OptionSpec UDP_PORT = new OptionSpec(
      "collective.udp-port", "0", "0..65535 (0: any free port; P: rank r binds P + r)",
      "UDP port of each rank's subscription");
  public static final OptionSpec TIMEOUT_MS = new OptionSpec(
      "collective.timeout-ms", "60000", TIMEOUT_MS_MIN + ".." + TIMEOUT_MS_MAX,
      "how long a rank waits for a neighbour (connect, data, back pressure) before failing");
  public static final OptionSpec CHUNK_BYTES = new OptionSpec(
      "collective.chunk-bytes", String.valueOf(CHUNK_BYTES_MAX),
      CHUNK_BYTES_MIN + ".." + CHUNK_BYTES_MAX + ", a multiple of 32",
      "payload bytes per message; the maximum fills one unfragmented 64 KiB Aeron frame");
  public static final OptionSpec BUCKET_BYTES = new OptionSpec(
      "collective.bucket-bytes", String.valueOf(8 << 20),
      BUCKET_BYTES_MIN + ".." + BUCKET_BYTES_MAX + ", a multiple of 4",
      "all-reduce works through the data in buckets of this many bytes");
  public static final OptionSpec AERON_DIR = new OptionSpec(
      "collective.aeron-dir", "", "a local directory path, or empty",
      "media driver directory shared by the job's ranks on a host; empty: /dev/shm/spark-zero-<job token>");
  public static final OptionSpec IPC_TERM_BYTES = new OptionSpec(
      "collective.ipc-term-bytes", String.valueOf(64 << 20),
      "a power of two in " + TERM_BYTES_MIN + ".." + TERM_BYTES_MAX + ", at least 8 frames",
      "term length of each rank's shared-memory stream (3 terms are mapped; half a term may be in flight)");
  public static final OptionSpec UDP_TERM_BYTES = new OptionSpec(
      "collective.udp-term-bytes", String.valueOf(16 << 20),
      "a power of two in " + TERM_BYTES_MIN + ".." + TERM_BYTES_MAX + ", at least 8 frames",
      "term length of each rank's UDP stream");
  public static final OptionSpec UDP_SOCKET_BUFFER_BYTES = new OptionSpec(
      "collective.udp-socket-buffer-bytes", String.valueOf(2 << 20),
      SOCKET_BUFFER_BYTES_MIN + ".." + SOCKET_BUFFER_BYTES_MAX,
      "SO_SNDBUF, SO_RCVBUF and receiver window of UDP streams (the OS caps it at net.core.*mem_max)");
  public static final OptionSpec DRIVER_TIMEOUT_MS = new OptionSpec(
      "collective.driver-timeout-ms", "10000", DRIVER_TIMEOUT_MS_MIN + ".." + DRIVER_TIMEOUT_MS_MAX,
      "how long a rank waits for the host's media driver to answer");
  public static final OptionSpec DRIVER_IDLE_MAX_PARK_US = new OptionSpec(
      "collective.driver-idle-max-park-us", "1000",
      DRIVER_IDLE_MAX_PARK_US_MIN + ".." + DRIVER_IDLE_MAX_PARK_US_MAX,
      "longest sleep of an idle media driver: shorter cuts UDP latency, longer saves CPU");

  /** All collective options, in the order the README's reference table lists them. */
  public static final List<OptionSpec> ALL = List.of(
      TRANSPORT, BIND_HOST, UDP_PORT, TIMEOUT_MS, CHUNK_BYTES, BUCKET_BYTES, AERON_DIR,
      IPC_TERM_BYTES, UDP_TERM_BYTES, UDP_SOCKET_BUFFER_BYTES, DRIVER_TIMEOUT_MS,
      DRIVER_IDLE_MAX_PARK_US);

  private CollectiveOptionSpecs() {}
}
