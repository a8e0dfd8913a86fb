package io.sparkzero.sharding.collective;

import io.aeron.Aeron;
import io.aeron.CncFileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM's connection to its host's media driver: an Aeron client on the job's Aeron directory, plus
 * the driver itself when this JVM was the first to lock the directory. Every rank of the JVM (Spark
 * task threads, one stage after another) shares it; {@link AeronCollectives} instances come and go
 * on top of it.
 *
 * <p>The runtime lives as long as the JVM (a shutdown hook closes it), because other executors on the
 * host may be connected to a driver this JVM runs: closing it after a stage would cut them off. If
 * the driver's JVM dies, the clients of the others time out and close; the next {@link #acquire}
 * then starts afresh and one of them takes over the driver.
 */
public final class AeronRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AeronRuntime.class);

  // The one piece of static mutable state in this module, on purpose: a file lock belongs to the
  // whole process (locking twice in one JVM throws), and an Aeron client is meant to be shared by
  // the threads of a process. So "one runtime per directory" is a per-JVM fact, held here.
  private static final ConcurrentHashMap<Path, AeronRuntime> RUNNING = new ConcurrentHashMap<>();

  /**
   * A driver whose heartbeat is older than this is dead: it beats once per timer interval (1 s by
   * default), so a live one is never this stale.
   */
  private static final long DRIVER_HEARTBEAT_STALE_MS = 3_000;

  private final RuntimeOptions options;
  private final EmbeddedDriver driver;
  private final Aeron aeron;
  private final String driverId;
  private final String locality;
  private final Thread shutdownHook;

  private AeronRuntime(RuntimeOptions options, EmbeddedDriver driver, Aeron aeron) {
    this.options = options;
    this.driver = driver;
    this.aeron = aeron;
    this.driverId = driver != null ? driver.id() : EmbeddedDriver.readDriverId(options.aeronDir());
    this.locality = hostName() + "|" + options.aeronDir() + "|"
        + (driverId != null ? "driver " + driverId : driverIdentity(aeron));
    this.shutdownHook = new Thread(this::close, "spark-zero-aeron-shutdown");
  }

  /**
   * The runtime of {@code options.aeronDir()} in this JVM: the running one, or a new one that
   * launches the driver (when no other process holds the directory's lock) and connects to it.
   */
  public static AeronRuntime acquire(RuntimeOptions options) {
    return RUNNING.compute(options.aeronDir(), (dir, running) -> {
      if (running != null && !running.aeron.isClosed()) {
        if (running.driver != null) {
          return running;
        }
        // A client only: its driver may have died with another executor (a free lock says so at
        // once; this JVM then runs the next driver), or a new driver may already have replaced it
        // (another id in the lock file). Either way the client is useless and goes.
        EmbeddedDriver takeover = EmbeddedDriver.tryLaunch(options);
        if (takeover == null && running.sameDriverAlive()) {
          return running;
        }
        LOG.warn("the Aeron client on {} lost its media driver; reconnecting", dir);
        running.retire();
        return launchOrConnect(options, takeover);
      }
      if (running != null) {
        LOG.warn("the Aeron client on {} lost its media driver; reconnecting", dir);
        running.retire();
      }
      return launchOrConnect(options, EmbeddedDriver.tryLaunch(options));
    });
  }

  /**
   * A runtime on {@code launched}, or, when another process holds the lock, a client of the driver
   * that process runs. Its driver may still be starting: until then the directory holds the files
   * of the driver before it, which may be dead with its executor though its heartbeat still looks
   * fresh (for up to the driver timeout), and a client connected to those files would fail its
   * stage. So the client connects only once the directory names the driver the lock file names,
   * and keeps the connection only if the directory still names it afterwards.
   */
  private static AeronRuntime launchOrConnect(RuntimeOptions options, EmbeddedDriver launched) {
    if (launched != null) {
      return start(options, launched);
    }
    Path dir = options.aeronDir();
    long deadline = System.nanoTime() + options.clientDriverTimeoutMs() * 1_000_000L;
    while (true) {
      String started = EmbeddedDriver.readStartedId(dir);
      if (started != null && started.equals(EmbeddedDriver.readDriverId(dir))) {
        AeronRuntime runtime = start(options, null);
        if (started.equals(EmbeddedDriver.readStartedId(dir))) {
          return runtime;
        }
        runtime.retire();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no media driver took over " + dir + " within "
            + options.clientDriverTimeoutMs() + " ms: its lock is held (driver "
            + EmbeddedDriver.readDriverId(dir) + ") but the directory holds driver " + started
            + "'s files; check the executors on this host, or raise "
            + CollectiveOptionSpecs.DRIVER_TIMEOUT_MS.key());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the media driver of " + dir, e);
      }
      EmbeddedDriver takeover = EmbeddedDriver.tryLaunch(options);
      if (takeover != null) {
        return start(options, takeover);
      }
    }
  }

  /**
   * Closes this JVM's runtime of {@code aeronDir}, if one is running: at the end of a job whose
   * ranks ran in this JVM (Spark local mode), so its media driver does not outlive the job.
   */
  public static void releaseIfRunning(Path aeronDir) {
    AeronRuntime running = RUNNING.get(aeronDir);
    if (running != null) {
      running.close();
    }
  }

  /** Connects to {@code driver} (launched here), or to another JVM's driver when it is null. */
  private static AeronRuntime start(RuntimeOptions options, EmbeddedDriver driver) {
    try {
      Aeron aeron = Aeron.connect(new Aeron.Context()
          .aeronDirectoryName(options.aeronDir().toString())
          .driverTimeoutMs(options.clientDriverTimeoutMs())
          // Fault the log buffers' pages in when a stream is created, not during the first
          // operations: a 4 MB all-reduce otherwise spent half its CPU time in page faults.
          .preTouchMappedMemory(true)
          .errorHandler(e -> LOG.warn("Aeron client on {}: {}", options.aeronDir(), e.toString(), e)));
      AeronRuntime runtime = new AeronRuntime(options, driver, aeron);
      Runtime.getRuntime().addShutdownHook(runtime.shutdownHook);
      return runtime;
    } catch (RuntimeException e) {
      if (driver != null) {
        driver.close();
      }
      throw new IllegalStateException("cannot connect to the media driver in " + options.aeronDir()
          + " within " + options.clientDriverTimeoutMs() + " ms (" + e + "); check that the directory is"
          + " the job's and that its driver's executor is alive, or raise "
          + CollectiveOptionSpecs.DRIVER_TIMEOUT_MS.key(), e);
    }
  }

  /**
   * Whether the driver this client connected to still serves the directory: the lock file still
   * names it, and it still beats. A client notices a dead driver only after its driver timeout; a
   * stage relaunched after the driver's executor died must not start on such a client (it would
   * fail that stage too), so {@link #acquire} asks first.
   */
  private boolean sameDriverAlive() {
    return java.util.Objects.equals(driverId, EmbeddedDriver.readDriverId(options.aeronDir()))
        && aeron.context().isDriverActive(DRIVER_HEARTBEAT_STALE_MS, message -> {});
  }

  /** The Aeron client, shared by every rank of this JVM on this directory. */
  public Aeron aeron() {
    return aeron;
  }

  /** The options this runtime was started with. */
  public RuntimeOptions options() {
    return options;
  }

  /** Whether this JVM runs the media driver (it took the directory's lock first). */
  public boolean ownsDriver() {
    return driver != null;
  }

  /**
   * Names the media driver: this host's name and the directory, for messages, and the random id the
   * driver was started with (its process and start time where the id cannot be read). Ranks with
   * equal localities share a driver and can talk over shared memory; equal host names alone (two
   * containers, two network namespaces) never make them local.
   */
  public String locality() {
    return locality;
  }

  /** A stream id no other stream of this driver uses, from the driver's correlation counter. */
  int nextStreamId() {
    int id;
    do {
      id = (int) (aeron.nextCorrelationId() & Integer.MAX_VALUE);
    } while (id == 0);
    return id;
  }

  /**
   * Closes the client and, when this JVM runs it, the driver, cutting off every other JVM on this
   * directory. Meant for tests and tools; executors leave it to the shutdown hook.
   */
  @Override
  public void close() {
    RUNNING.remove(options.aeronDir(), this);
    retire();
  }

  private void retire() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: this is the hook running.
    }
    try {
      aeron.close();
    } finally {
      if (driver != null) {
        driver.close();
      }
    }
  }

  private static String driverIdentity(Aeron aeron) {
    MappedByteBuffer cnc = IoUtil.mapExistingFile(aeron.context().cncFile(), "Aeron CnC file");
    try {
      UnsafeBuffer metaData = CncFileDescriptor.createMetaDataBuffer(cnc);
      return "pid " + CncFileDescriptor.pid(metaData)
          + " started " + CncFileDescriptor.startTimestampMs(metaData);
    } finally {
      IoUtil.unmap(cnc);
    }
  }

  /** This host's name for messages: the kernel's (this UTS namespace's), without a DNS lookup. */
  private static String hostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException | RuntimeException e) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException unknown) {
        String env = System.getenv("HOSTNAME");
        return env != null ? env : "unknown-host";
      }
    }
  }

}
