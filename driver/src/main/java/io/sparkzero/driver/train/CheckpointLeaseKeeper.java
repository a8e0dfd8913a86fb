package io.sparkzero.driver.train;

import io.sparkzero.checkpoint.CheckpointLease;
import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.session.RankJob;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * The job's lease on its checkpoint directory ({@link CheckpointLease}), taken on the driver before
 * the resume point is looked for (which deletes leftovers) and renewed by a daemon thread three
 * times per {@code checkpoint.lease-s} until the run ends. A job without checkpoints holds none.
 */
final class CheckpointLeaseKeeper implements AutoCloseable {
  private final CheckpointLease lease;
  private final ScheduledExecutorService renewer;

  private CheckpointLeaseKeeper(CheckpointLease lease, ScheduledExecutorService renewer) {
    this.lease = lease;
    this.renewer = renewer;
  }

  /**
   * Takes the lease of {@code spec}'s checkpoint directory, or holds nothing when the job keeps no
   * checkpoints.
   *
   * @throws ConfigException naming checkpoint.path when another job holds the directory
   */
  static CheckpointLeaseKeeper take(SparkSession spark, RankJob spec, JobConfig config, PrintStream out) {
    if (!spec.checkpoint().enabled()) {
      return new CheckpointLeaseKeeper(null, null);
    }
    CheckpointStore store = CheckpointStore.open(spec.checkpoint().uri(), spark.sparkContext().hadoopConfiguration(),
        spec.checkpoint().storeOptions());
    long ttl = config.get(JobOptions.CHECKPOINT_LEASE_S) * 1000L;
    CheckpointLease lease;
    try {
      lease = store.lease(new CheckpointLease.Holder(spec.jobId(), spark.sparkContext().applicationId(),
          hostName()), ttl, config.get(JobOptions.CHECKPOINT_TAKE_OVER));
    } catch (CheckpointLease.HeldException e) {
      throw new ConfigException(JobOptions.CHECKPOINT_PATH.key(), e.getMessage());
    }
    ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "checkpoint-lease-renewer");
      t.setDaemon(true);
      return t;
    });
    renewer.scheduleWithFixedDelay(() -> {
      try {
        if (!lease.renew()) {
          out.printf("spark-zero: warning: the lease %s is no longer this job's (it expired and another"
              + " job took it over); stop one of the jobs%n", lease.uri());
          renewer.shutdown();
        }
      } catch (RuntimeException e) {
        out.printf("spark-zero: warning: renewing the checkpoint lease %s failed: %s%n", lease.uri(),
            e.getMessage());
      }
    }, ttl / 3, ttl / 3, TimeUnit.MILLISECONDS);
    return new CheckpointLeaseKeeper(lease, renewer);
  }

  @Override
  public void close() {
    if (lease == null) {
      return;
    }
    renewer.shutdownNow();
    lease.close();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown host";
    }
  }
}
