package io.sparkzero.sharding.collective;

import static io.sparkzero.sharding.collective.CollectiveOptionSpecs.*;

import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Validated settings of one job's collectives; every rank of a job must use equal values (the
 * rendezvous checks the job token and chunk size). Keys, types, defaults and what each allows live
 * in {@link CollectiveOptionSpecs}; the checks that relate two options live here.
 *
 * @param jobToken per-job secret stamped on every message; messages with another token are dropped
 * @param transport how ranks talk, see {@link Transport}
 * @param bindHost what the UDP subscription binds to and advertises: a {@link BindAddress} form,
 *     resolved on each rank's host
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
 * @param authenticate whether every message carries a {@link MessageMac} tag; chunks are then cut
 *     to {@link CollectiveOptionSpecs#CHUNK_BYTES_MAX_AUTHENTICATED} bytes at most
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
    long driverIdleMaxParkUs,
    boolean authenticate) {

  private static final int AERON_FRAME_HEADER_BYTES = 32;

  /**
   * Checks every field with its option's spec, then that each term holds {@link
   * CollectiveOptionSpecs#MIN_FRAMES_PER_TERM} frames; a bad one throws a {@link ConfigException}
   * naming its key, its value and what is allowed.
   */
  public CollectiveOptions {
    TRANSPORT.check(transport);
    BIND_HOST.check(bindHost);
    UDP_PORT.check(udpPort);
    TIMEOUT_MS.check(timeoutMs);
    CHUNK_BYTES.check(chunkBytes);
    BUCKET_BYTES.check(bucketBytes);
    AERON_DIR.check(aeronDir);
    checkTerm(IPC_TERM_BYTES, ipcTermBytes, chunkBytes, authenticate);
    checkTerm(UDP_TERM_BYTES, udpTermBytes, chunkBytes, authenticate);
    UDP_SOCKET_BUFFER_BYTES.check(udpSocketBufferBytes);
    DRIVER_TIMEOUT_MS.check(driverTimeoutMs);
    DRIVER_IDLE_MAX_PARK_US.check(driverIdleMaxParkUs);
    if (authenticate) {
      chunkBytes = Math.min(chunkBytes, CollectiveOptionSpecs.CHUNK_BYTES_MAX_AUTHENTICATED);
    }
  }

  /**
   * These options with {@code collective.bind-host} resolved on this host, see {@link
   * BindAddress#resolve}.
   *
   * @param executorHost the address Spark gave this rank's executor, or null outside Spark
   */
  public CollectiveOptions withBindHostResolved(String executorHost) {
    return new CollectiveOptions(jobToken, transport, BindAddress.resolve(bindHost, executorHost),
        udpPort, timeoutMs, chunkBytes, bucketBytes, aeronDir, ipcTermBytes, udpTermBytes,
        udpSocketBufferBytes, driverTimeoutMs, driverIdleMaxParkUs, authenticate);
  }

  private static void checkTerm(
      OptionSpec<Integer> spec, int termBytes, int chunkBytes, boolean authenticate) {
    spec.check(termBytes);
    int mtu = mtuBytes(chunkBytes, authenticate);
    long leastBytes = (long) MIN_FRAMES_PER_TERM * mtu;
    if (termBytes < leastBytes) {
      throw new ConfigException(spec.key(), String.valueOf(termBytes), spec.allowed() + " ("
          + CHUNK_BYTES.key() + "=" + chunkBytes + " makes " + mtu
          + "-byte frames, so at least " + leastBytes + ")");
    }
  }

  private static int mtuBytes(int chunkBytes, boolean authenticate) {
    return chunkBytes + MessageHeader.LENGTH + (authenticate ? MessageMac.LENGTH : 0)
        + AERON_FRAME_HEADER_BYTES;
  }

  /**
   * Aeron MTU of every stream: one chunk, its header (and tag) and Aeron's frame header,
   * unfragmented.
   */
  public int mtuBytes() {
    return mtuBytes(chunkBytes, authenticate);
  }

  /** Floats carried by one full chunk. */
  public int chunkFloats() {
    return chunkBytes / Float.BYTES;
  }

  /**
   * The media driver directory: {@link #aeronDir} when set, else {@code spark-zero-<id>/aeron}
   * under {@code /dev/shm} (so the logs live in memory) or under {@code java.io.tmpdir} where there
   * is no {@code /dev/shm}. The id is a one-way hash of the job token, so the directory's name,
   * which any local user can list, does not give the token away; the driver creates {@code
   * spark-zero-<id>} readable by its owner only ({@link EmbeddedDriver}).
   */
  public Path resolvedAeronDir() {
    if (!aeronDir.isEmpty()) {
      return Path.of(aeronDir).toAbsolutePath().normalize();
    }
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    return parent.resolve("spark-zero-" + directoryId(jobToken)).resolve("aeron");
  }

  /** 16 hex digits of SHA-256 over the token: names the job's directory without revealing it. */
  static String directoryId(long jobToken) {
    return java.util.HexFormat.of().formatHex(digest("spark-zero-aeron", jobToken), 0, 8);
  }

  /**
   * What every message and the rendezvous carry in the token's place: a one-way hash of it, so the
   * token itself, which names the job's files and reaches the executors only through Spark, never
   * travels over the training network.
   */
  public long wireTag() {
    return java.nio.ByteBuffer.wrap(digest("spark-zero-wire", jobToken)).getLong();
  }

  /**
   * SHA-256 over {@code purpose} (at most 16 ASCII characters) and the token: each use of the
   * token hashes it its own way.
   */
  public static byte[] digest(String purpose, long jobToken) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(
          java.nio.ByteBuffer.allocate(Long.BYTES + 16).put(purpose.getBytes(
              java.nio.charset.StandardCharsets.US_ASCII)).putLong(jobToken).array());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A builder with every option at its default. */
  public static Builder builder(long jobToken) {
    return new Builder(jobToken);
  }

  /**
   * Options from job-file entries: keys starting with {@code collective.} are parsed with their
   * spec, others ignored, absent keys take their defaults. An unknown {@code collective.} key or a
   * bad value throws a {@link ConfigException} naming the key.
   */
  public static CollectiveOptions fromMap(long jobToken, Map<String, String> entries) {
    Builder builder = builder(jobToken);
    entries.forEach((key, text) -> {
      if (key.startsWith(PREFIX)) {
        builder.parse(CollectiveOptionSpecs.named(key), text);
      }
    });
    return builder.build();
  }

  /** Builds {@link CollectiveOptions}; unset options keep their defaults. */
  public static final class Builder {
    private final Map<OptionSpec<?>, Object> values = new HashMap<>();
    private final long jobToken;

    private Builder(long jobToken) {
      this.jobToken = jobToken;
      for (OptionSpec<?> spec : ALL) {
        values.put(spec, spec.defaultValue());
      }
    }

    /** Sets the collective option {@code spec}; a value it does not allow throws at once. */
    public <T> Builder set(OptionSpec<T> spec, T value) {
      values.put(CollectiveOptionSpecs.named(spec.key()), spec.check(value));
      return this;
    }

    private <T> void parse(OptionSpec<T> spec, String text) {
      values.put(spec, spec.parse(text));
    }

    private <T> T get(OptionSpec<T> spec) {
      return spec.type().cast(values.get(spec));
    }

    /** Sets {@code collective.transport}. */
    public Builder transport(Transport value) {
      return set(TRANSPORT, value);
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

    /** Sets {@code collective.authenticate}. */
    public Builder authenticate(boolean value) {
      return set(AUTHENTICATE, value);
    }

    /** Sets both term lengths (shared memory and UDP). */
    public Builder termBytes(int value) {
      return set(IPC_TERM_BYTES, value).set(UDP_TERM_BYTES, value);
    }

    /**
     * Builds, with the checks that relate two options; throws a {@link ConfigException} naming a
     * bad option.
     */
    public CollectiveOptions build() {
      return new CollectiveOptions(jobToken, get(TRANSPORT), get(BIND_HOST), get(UDP_PORT),
          get(TIMEOUT_MS), get(CHUNK_BYTES), get(BUCKET_BYTES), get(AERON_DIR),
          get(IPC_TERM_BYTES), get(UDP_TERM_BYTES), get(UDP_SOCKET_BUFFER_BYTES),
          get(DRIVER_TIMEOUT_MS), get(DRIVER_IDLE_MAX_PARK_US), get(AUTHENTICATE));
    }
  }
}
