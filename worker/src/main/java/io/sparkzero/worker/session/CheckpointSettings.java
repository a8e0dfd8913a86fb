package io.sparkzero.worker.session;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * A job's checkpointing, as every rank takes part in it (the step an attempt restores from is the
 * attempt's: {@link EpochAttempt#restoreStep()}).
 *
 * @param uri the store's root ({@code checkpoint.path}); empty: the job keeps no checkpoints
 * @param everySteps also save every this many global steps within an epoch; 0: epoch ends only
 * @param keep committed checkpoints to keep
 * @param hadoopConf {@code spark.hadoop.*} settings of the job, for the executors' file system
 *     clients
 * @param fileMode the POSIX mode of the files the store creates ({@code checkpoint.file-mode})
 */
public record CheckpointSettings(String uri, int everySteps, int keep,
    TreeMap<String, String> hadoopConf, int fileMode) implements Serializable {

  /** With owner-only files. */
  public CheckpointSettings(String uri, int everySteps, int keep, TreeMap<String, String> hadoopConf) {
    this(uri, everySteps, keep, hadoopConf, io.sparkzero.checkpoint.CheckpointOptions.DEFAULT_FILE_MODE);
  }

  /** No checkpoints. */
  public static CheckpointSettings none() {
    return new CheckpointSettings("", 0, 1, new TreeMap<>());
  }

  /** How the store writes: the default layout, this job's file mode. */
  public io.sparkzero.checkpoint.CheckpointOptions storeOptions() {
    return io.sparkzero.checkpoint.CheckpointOptions.DEFAULTS.withFileMode(fileMode);
  }

  public boolean enabled() {
    return !uri.isEmpty();
  }

  /** A Hadoop configuration for the store on this JVM: the defaults plus the job's settings. */
  public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    hadoopConf.forEach(conf::set);
    return conf;
  }
}
