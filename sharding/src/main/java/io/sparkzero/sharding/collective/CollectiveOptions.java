package io.sparkzero.sharding.collective;

import static io.sparkzero.sharding.collective.CollectiveOptionSpecs.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validated settings of one job's collectives; every rank of a job must use equal values (the
 * rendezvous checks the job token and chunk size). Keys, defaults and ranges live in {@link
 * CollectiveOptionSpecs}.
 *
 * @param jobToken per-job secret stamped on every message; messages with another token are dropped
 * @param transport how ranks talk, see {@link Transport}
 * @param bindHost address the UDP subscription binds to and advertises
 * @param udpPort 0 for any free port, else rank {@code r} binds {@code udpPort + r}
 * @param timeoutMs how long to wait for a neighbour before {@link CollectiveTimeoutException}
 * @param chunkBytes payload bytes per message (a multiple of 32)
 * @param bucketBytes all-reduce bucket size
 * @param aeronDir media driver directory, empty for the per-job default
 * @param ipcTermBytes term length of shared-memory streams
 * @param udpTermBytes term length of UDP streams
 * @param udpSocketBufferBytes socket buffers and receiver window of UDP streams
 * @param driverTimeoutMs how long to wait for the media driver
 * @param driverIdleMaxParkUs longest sleep of an idle media driver started by this JVM
 */
public record CollectiveOptions(
    long jobToken,
    Transport transport,
    String bindHost,
    int udpPort,
    long timeoutMs,
    int chunkBytes,
    long bucketBytes,
    String aeronDir,
    int ipcTermBytes,
    int udpTermBytes,
    int udpSocketBufferBytes,
    long driverTimeoutMs,
    long driverIdleMaxParkUs) {

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+");
  private static final int FRAME_ALIGNMENT = 32;
  private static final int AERON_FRAME_HEADER_BYTES = 32;
  private static final int MIN_FRAMES_PER_TERM = 8;

  /** Validates every field; an invalid one throws {@link IllegalArgumentException} naming its key. */
  public CollectiveOptions {
    if (transport == null) {
      throw TRANSPORT.invalid(null);
    }
    if (bindHost == null || !HOST.matcher(bindHost).matches() || bindHost.equals("0.0.0.0")) {
      throw BIND_HOST.invalid(bindHost);
    }
    UDP_PORT.checkRange(udpPort, 0, 65535);
    TIMEOUT_MS.checkRange(timeoutMs, TIMEOUT_MS_MIN, TIMEOUT_MS_MAX);
    CHUNK_BYTES.checkRange(chunkBytes, CHUNK_BYTES_MIN, CHUNK_BYTES_MAX);
    if (chunkBytes % FRAME_ALIGNMENT != 0) {
      throw CHUNK_BYTES.invalid(chunkBytes);
    }
    BUCKET_BYTES.checkRange(bucketBytes, BUCKET_BYTES_MIN, BUCKET_BYTES_MAX);
    if (bucketBytes % Float.BYTES != 0) {
      throw BUCKET_BYTES.invalid(bucketBytes);
    }
    if (aeronDir == null || aeronDir.indexOf('\0') >= 0) {
      throw AERON_DIR.invalid(aeronDir);
    }
    checkTerm(IPC_TERM_BYTES, ipcTermBytes, chunkBytes);
    checkTerm(UDP_TERM_BYTES, udpTermBytes, chunkBytes);
    UDP_SOCKET_BUFFER_BYTES.checkRange(
        udpSocketBufferBytes, SOCKET_BUFFER_BYTES_MIN, SOCKET_BUFFER_BYTES_MAX);
    DRIVER_TIMEOUT_MS.checkRange(driverTimeoutMs, DRIVER_TIMEOUT_MS_MIN, DRIVER_TIMEOUT_MS_MAX);
    DRIVER_IDLE_MAX_PARK_US.checkRange(
        driverIdleMaxParkUs, DRIVER_IDLE_MAX_PARK_US_MIN, DRIVER_IDLE_MAX_PARK_US_MAX);
  }

  private static void checkTerm(OptionSpec spec, int termBytes, int chunkBytes) {
    spec.checkRange(termBytes, TERM_BYTES_MIN, TERM_BYTES_MAX);
    // Aeron refuses a stream whose MTU exceeds an eighth of its term.
    if (Integer.bitCount(termBytes) != 1
        || termBytes < (long) MIN_FRAMES_PER_TERM * mtuBytes(chunkBytes)) {
      throw spec.invalid(termBytes + " (with " + CHUNK_BYTES.key() + "=" + chunkBytes + ")");
    }
  }

  private static int mtuBytes(int chunkBytes) {
    return chunkBytes + MessageHeader.LENGTH + AERON_FRAME_HEADER_BYTES;
  }

  /** Aeron MTU of every stream: one chunk, its header and Aeron's frame header, unfragmented. */
  public int mtuBytes() {
    return mtuBytes(chunkBytes);
  }

  /** Floats carried by one full chunk. */
  public int chunkFloats() {
    return chunkBytes / Float.BYTES;
  }

  /**
   * The media driver directory: {@link #aeronDir} when set, else {@code spark-zero-<token>} under
   * {@code /dev/shm} (so the logs live in memory) or under {@code java.io.tmpdir} where there is
   * no {@code /dev/shm}.
   */
  public Path resolvedAeronDir() {
    if (!aeronDir.isEmpty()) {
      return Path.of(aeronDir).toAbsolutePath().normalize();
    }
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    return parent.resolve("spark-zero-" + Long.toHexString(jobToken));
  }

  /** A builder with every option at its default. */
  public static Builder builder(long jobToken) {
    return new Builder(jobToken);
  }

  /**
   * Options from job-file entries: keys starting with {@code collective.} are read, others
   * ignored, absent keys take their defaults. Throws on an unknown {@code collective.} key.
   */
  public static CollectiveOptions fromMap(long jobToken, Map<String, String> entries) {
    Map<String, String> values = new HashMap<>();
    for (OptionSpec spec : ALL) {
      values.put(spec.key(), spec.defaultValue());
    }
    entries.forEach((key, value) -> {
      if (key.startsWith("collective.")) {
        if (!values.containsKey(key)) {
          throw new IllegalArgumentException("unknown option " + key + "; known collective options: "
              + ALL.stream().map(OptionSpec::key).toList());
        }
        values.put(key, value);
      }
    });
    return new CollectiveOptions(
        jobToken,
        Transport.parse(values.get(TRANSPORT.key())),
        values.get(BIND_HOST.key()).trim(),
        intOf(UDP_PORT, values),
        longOf(TIMEOUT_MS, values),
        intOf(CHUNK_BYTES, values),
        longOf(BUCKET_BYTES, values),
        values.get(AERON_DIR.key()).trim(),
        intOf(IPC_TERM_BYTES, values),
        intOf(UDP_TERM_BYTES, values),
        intOf(UDP_SOCKET_BUFFER_BYTES, values),
        longOf(DRIVER_TIMEOUT_MS, values),
        longOf(DRIVER_IDLE_MAX_PARK_US, values));
  }

  private static long longOf(OptionSpec spec, Map<String, String> values) {
    return spec.parseLong(values.get(spec.key()));
  }

  private static int intOf(OptionSpec spec, Map<String, String> values) {
    long value = longOf(spec, values);
    return (int) spec.checkRange(value, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  /** Builds {@link CollectiveOptions}; unset options keep their defaults. */
  public static final class Builder {
    private final Map<String, String> entries = new HashMap<>();
    private final long jobToken;

    private Builder(long jobToken) {
      this.jobToken = jobToken;
    }

    /** Sets the option named by {@code spec} from its job-file text. */
    public Builder set(OptionSpec spec, Object value) {
      entries.put(spec.key(), String.valueOf(value));
      return this;
    }

    /** Sets {@code collective.transport}. */
    public Builder transport(Transport value) {
      return set(TRANSPORT, value.configValue());
    }

    /** Sets {@code collective.timeout-ms}. */
    public Builder timeoutMs(long value) {
      return set(TIMEOUT_MS, value);
    }

    /** Sets {@code collective.chunk-bytes}. */
    public Builder chunkBytes(int value) {
      return set(CHUNK_BYTES, value);
    }

    /** Sets {@code collective.bucket-bytes}. */
    public Builder bucketBytes(long value) {
      return set(BUCKET_BYTES, value);
    }

    /** Sets {@code collective.aeron-dir}. */
    public Builder aeronDir(Path value) {
      return set(AERON_DIR, value.toString());
    }

    /** Sets both term lengths (shared memory and UDP). */
    public Builder termBytes(int value) {
      return set(IPC_TERM_BYTES, value).set(UDP_TERM_BYTES, value);
    }

    /** Validates and builds; throws {@link IllegalArgumentException} naming a bad option. */
    public CollectiveOptions build() {
      return fromMap(jobToken, entries);
    }
  }
}
