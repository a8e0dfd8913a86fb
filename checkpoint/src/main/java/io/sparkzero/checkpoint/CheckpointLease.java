package io.sparkzero.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.function.LongSupplier;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's claim on a checkpoint directory: {@code lease.json} beside the steps names the job and
 * when it last renewed the claim. Two live jobs on one path would interleave their steps and
 * delete each other's uncommitted ones, so a second job is refused while the lease is live; once
 * its holder stops renewing for longer than the lease's time to live, the lease is expired, and a
 * job started with take-over replaces it (without, it is refused too: only a person knows that the
 * holder is dead and not merely stalled).
 *
 * <p>The lease file is created exclusively (atomic on HDFS), so of two jobs starting at once one
 * wins. Times are the holders' wall clocks: hosts whose clocks disagree by a sizeable part of the
 * time to live make the lease expire early or late.
 */
public final class CheckpointLease implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointLease.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String FILE = "lease.json";

  private final FileSystem fs;
  private final Path path;
  private final Holder holder;
  private final long ttlMillis;
  private final LongSupplier clock;
  private final FsPermission permission;
  private boolean released;

  /**
   * Who holds a lease.
   *
   * @param jobId the job's own id, new for every run
   * @param appId the Spark application id
   * @param host where the job's driver runs
   */
  public record Holder(String jobId, String appId, String host) {}

  /** The lease file's content. */
  record Record(@JsonProperty("job_id") String jobId, @JsonProperty("app_id") String appId,
      @JsonProperty("host") String host, @JsonProperty("renewed_ms") long renewedMs,
      @JsonProperty("ttl_ms") long ttlMs) {
    boolean expiredAt(long now) {
      return now - renewedMs > ttlMs;
    }

    String describe(long now) {
      return "job " + jobId + " (application " + appId + " on " + host + "), renewed "
          + Math.max(0, (now - renewedMs) / 1000) + " s ago";
    }
  }

  /** Why a lease was not granted: the message names the holder and what the caller may do. */
  public static final class HeldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HeldException(String message) {
      super(message);
    }
  }

  private CheckpointLease(FileSystem fs, Path path, Holder holder, long ttlMillis, LongSupplier clock,
      FsPermission permission) {
    this.fs = fs;
    this.path = path;
    this.holder = holder;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
    this.permission = permission;
  }

  /**
   * Takes the lease on {@code root} for {@code holder}.
   *
   * @param ttlMillis how long the lease lives without renewal
   * @param takeOver whether an expired lease of another job may be replaced
   * @throws HeldException when another job's lease is live, or expired without {@code takeOver}
   */
  static CheckpointLease acquire(FileSystem fs, Path root, Holder holder, long ttlMillis, boolean takeOver,
      LongSupplier clock, FsPermission permission) {
    if (ttlMillis <= 0) {
      throw new IllegalArgumentException("lease time to live " + ttlMillis + " ms; allowed: > 0");
    }
    CheckpointLease lease = new CheckpointLease(fs, new Path(root, FILE), holder, ttlMillis, clock, permission);
    for (int attempt = 0; ; attempt++) {
      if (lease.create()) {
        return lease;
      }
      Record other = lease.read();
      if (other == null) {
        continue; // released between our create and our read: try again
      }
      long now = clock.getAsLong();
      if (other.jobId().equals(holder.jobId())) {
        lease.write();
        return lease;
      }
      if (!other.expiredAt(now)) {
        throw new HeldException("checkpoint directory " + root + " is in use by " + other.describe(now)
            + "; its lease expires " + (other.ttlMs() - (now - other.renewedMs())) / 1000 + " s after its"
            + " last renewal. Two jobs on one checkpoint.path would delete each other's steps: use another"
            + " checkpoint.path, or wait for that job to end");
      }
      if (!takeOver) {
        throw new HeldException("checkpoint directory " + root + " is leased by " + other.describe(now)
            + ", which has expired: if that job is dead, set checkpoint.take-over true to take its"
            + " checkpoints over; else use another checkpoint.path");
      }
      if (attempt > 2) {
        throw new HeldException("could not take over the expired lease " + lease.path + " of "
            + other.describe(now) + ": another job keeps replacing it");
      }
      LOG.warn("taking over the expired lease of {} on {}", other.describe(now), root);
      HadoopFiles.delete(fs, lease.path, false);
    }
  }

  /**
   * Renews the lease; call it well within the time to live.
   *
   * @return false when the lease is no longer this job's (it expired and another job took it over)
   */
  public synchronized boolean renew() {
    if (released) {
      return false;
    }
    Record now = read();
    if (now == null || !now.jobId().equals(holder.jobId())) {
      LOG.error("the checkpoint lease {} is no longer held by job {}: {}", path, holder.jobId(),
          now == null ? "it was deleted" : "taken over by " + now.describe(clock.getAsLong()));
      return false;
    }
    write();
    return true;
  }

  /** Deletes the lease file if it is still this job's. */
  @Override
  public synchronized void close() {
    if (released) {
      return;
    }
    released = true;
    Record now = read();
    if (now != null && now.jobId().equals(holder.jobId())) {
      HadoopFiles.delete(fs, path, false);
    }
  }

  /** The lease file's URI. */
  public String uri() {
    return path.toString();
  }

  private Record record() {
    return new Record(holder.jobId(), holder.appId(), holder.host(), clock.getAsLong(), ttlMillis);
  }

  /** Creates the lease file if none exists; false if one does. */
  private boolean create() {
    try (OutputStream out = HadoopFiles.create(fs, path, false, permission)) {
      out.write(bytes(record()));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (exists()) {
        return false; // some file systems report an existing file with a plain IOException
      }
      throw new UncheckedIOException("creating the checkpoint lease " + path + ": " + e.getMessage(), e);
    }
  }

  private void write() {
    try (OutputStream out = HadoopFiles.create(fs, path, true, permission)) {
      out.write(bytes(record()));
    } catch (IOException e) {
      throw new UncheckedIOException("renewing the checkpoint lease " + path + ": " + e.getMessage(), e);
    }
  }

  /** The lease file, or null when there is none; one that does not parse is read again once. */
  private Record read() {
    for (int attempt = 0; ; attempt++) {
      byte[] json;
      try (InputStream in = fs.open(path)) {
        json = in.readNBytes(64 << 10);
      } catch (FileNotFoundException e) {
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException("reading the checkpoint lease " + path + ": " + e.getMessage(), e);
      }
      try {
        return JSON.readValue(json, Record.class);
      } catch (IOException e) {
        if (attempt > 0) {
          throw new HeldException("the checkpoint lease " + path + " does not parse (" + e.getMessage()
              + "); if no job uses this checkpoint.path, delete it");
        }
        sleepQuietly(200); // caught while its holder rewrote it
      }
    }
  }

  private boolean exists() {
    try {
      return fs.exists(path);
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] bytes(Record record) {
    try {
      return JSON.writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
