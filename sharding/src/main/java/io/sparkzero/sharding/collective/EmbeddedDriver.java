package io.sparkzero.sharding.collective;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's media driver, run inside the JVM that first took the lock file beside the Aeron
 * directory. The lock is held as long as the driver runs, so at most one driver serves a directory
 * and a later JVM knows a directory without a lock holder belongs to a dead driver.
 */
final class EmbeddedDriver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDriver.class);
  /** Largest MTU Aeron accepts, so 64 KiB chunks travel unfragmented. */
  private static final int MAX_MTU_BYTES = 65504;
  private static final long MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(10);

  private final FileChannel lockChannel;
  private final FileLock lock;
  private final MediaDriver driver;
  private final String id;

  private EmbeddedDriver(FileChannel lockChannel, FileLock lock, MediaDriver driver, String id) {
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.driver = driver;
    this.id = id;
  }

  /** The random id this driver was started with ({@link #readDriverId} in other JVMs). */
  String id() {
    return id;
  }

  /** The lock file of {@code aeronDir}: beside it, since the driver deletes the directory on start. */
  static Path lockFile(Path aeronDir) {
    return aeronDir.resolveSibling(aeronDir.getFileName() + ".lock");
  }

  /** Launches a driver on the options' directory, or returns null when another process holds its lock. */
  /** The file in the Aeron directory naming the driver that made it. */
  static final String STARTED_FILE = "spark-zero-driver-id";

  static EmbeddedDriver tryLaunch(RuntimeOptions options) {
    Path aeronDir = options.aeronDir();
    Path lockFile = lockFile(aeronDir);
    FileChannel channel = null;
    try {
      createPrivately(lockFile.getParent());
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return null;
      }
      String id = writeDriverId(channel);
      MediaDriver driver = MediaDriver.launch(
          context(aeronDir, TimeUnit.MICROSECONDS.toNanos(options.driverIdleMaxParkUs()),
              TimeUnit.MILLISECONDS.toNanos(options.livenessTimeoutMs())));
      writeStartedId(aeronDir, id);
      LOG.info("launched the media driver on {} (lock {})", aeronDir, lockFile);
      return new EmbeddedDriver(channel, lock, driver, id);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + lockFile + " to start the media driver for "
          + aeronDir + "; check the directory is writable", e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /**
   * Marks the directory with the id of the driver now serving it, once that driver has started:
   * the driver deletes the directory on start, so this file names the driver whose files lie
   * beside it, while the lock file names the driver that holds the lock, which may not have
   * replaced a dead one's files yet.
   */
  private static void writeStartedId(Path aeronDir, String id) throws IOException {
    Path temp = aeronDir.resolve(STARTED_FILE + ".tmp");
    Files.writeString(temp, id + "\n", StandardCharsets.US_ASCII);
    Files.move(temp, aeronDir.resolve(STARTED_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The id of the driver whose files are in {@code aeronDir} ({@link #writeStartedId}), or null. */
  static String readStartedId(Path aeronDir) {
    try {
      String id = Files.readString(aeronDir.resolve(STARTED_FILE), StandardCharsets.US_ASCII).trim();
      return id.isEmpty() ? null : id;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * A random id for the driver about to start, written into the lock file before it starts: every
   * JVM that reaches this driver reads the same id from the same file, and a JVM on another host
   * (or another /dev/shm) cannot, whatever the host names. Ranks compare these ids, not names, to
   * decide that they share memory ({@link AeronRuntime#locality()}).
   */
  private static String writeDriverId(FileChannel channel) throws IOException {
    String id = UUID.randomUUID().toString();
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    channel.force(false);
    return id;
  }

  /**
   * The id {@link #writeDriverId} gave the driver of {@code aeronDir}, or null if unreadable. Only
   * for JVMs that do not hold the lock: closing any other descriptor of the lock file would drop
   * the holder's POSIX lock, so the driver's own JVM asks {@link #id()}.
   */
  static String readDriverId(Path aeronDir) {
    try {
      String id = Files.readString(lockFile(aeronDir), StandardCharsets.US_ASCII).trim();
      return id.isEmpty() ? null : id;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Creates {@code dir} (and missing parents) readable, writable and searchable by this user only,
   * so the Aeron directory made inside it (data, parameters, counters) is closed to other local
   * users whatever their umask; an existing directory is left as it is (the job's other ranks made
   * it, or the user chose it through collective.aeron-dir).
   */
  static void createPrivately(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Files.createDirectories(dir.getParent());
    try {
      Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // another rank of the job on this host made it first
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir); // not a POSIX file system: its own access rules apply
    }
  }

  private static MediaDriver.Context context(Path aeronDir, long maxParkNs, long livenessNs) {
    return new MediaDriver.Context()
        // A client, a stream or a subscriber silent for less than this (a paused JVM) is waited
        // for: the collective timeout below it decides when a rank has failed.
        .clientLivenessTimeoutNs(livenessNs)
        .imageLivenessTimeoutNs(livenessNs)
        .publicationConnectionTimeoutNs(livenessNs)
        .publicationUnblockTimeoutNs(livenessNs + TimeUnit.SECONDS.toNanos(5))
        .driverTimeoutMs(TimeUnit.NANOSECONDS.toMillis(livenessNs))
        .aeronDirectoryName(aeronDir.toString())
        // We hold the lock, so whatever is in the directory was left by a dead driver.
        .dirDeleteOnStart(true)
        .dirDeleteOnShutdown(true)
        // One driver thread for conductor, sender and receiver, which backs off to parking when
        // idle: a spinning driver takes a whole core from the ranks on small hosts (measured: with
        // 100 us parks the idle driver still used 15% of a core, with 1 ms under 4%). IPC data never
        // passes through the driver; it only advances publication limits (hidden by a window of
        // half a term) and cleans consumed log, so the park length costs UDP hops, not IPC.
        .threadingMode(ThreadingMode.SHARED)
        .sharedIdleStrategy(new BackoffIdleStrategy(
            10, 5, Math.min(MIN_PARK_NS, maxParkNs), maxParkNs))
        .ipcMtuLength(MAX_MTU_BYTES)
        .mtuLength(MAX_MTU_BYTES)
        .warnIfDirectoryExists(false)
        .errorHandler(e -> LOG.warn("media driver on {}: {}", aeronDir, e.toString(), e));
  }

  @Override
  public void close() {
    try {
      driver.close();
    } finally {
      try {
        lock.release();
      } catch (IOException e) {
        LOG.warn("cannot release the driver lock {}: {}", lock, e.toString());
      }
      closeQuietly(lockChannel);
      removeJobDirectory();
    }
  }

  /**
   * Deletes the lock file and, when it is the default per-job directory ({@code spark-zero-<id>},
   * {@link CollectiveOptions#resolvedAeronDir()}) and now empty, the directory: the driver is
   * closed when the job's ranks on this host are done, and nothing of a job should stay in
   * /dev/shm.
   */
  private void removeJobDirectory() {
    Path lockFile = lockFile(Path.of(driver.aeronDirectoryName()));
    Path dir = lockFile.getParent();
    try {
      Files.deleteIfExists(lockFile);
      if (dir.getFileName().toString().startsWith("spark-zero-")) {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      LOG.debug("leaving {}: {}", dir, e.toString()); // not empty (another driver's), or gone
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing a lock file channel failed", e);
      }
    }
  }
}
