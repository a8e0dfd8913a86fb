package io.sparkzero.driver.train;

import java.io.Serializable;
import java.util.TreeMap;

/**
 * What a rank needs to take part in checkpointing during one stage, shipped with the {@link
 * RankSpec}.
 *
 * @param uri the store's root ({@code checkpoint.path}); empty: the job keeps no checkpoints
 * @param everySteps also save every this many global steps within an epoch; 0: epoch ends only
 * @param keep committed checkpoints to keep
 * @param restoreStep the committed global step a rank without cached state restores from; -1:
 *     none (the ranks start from the model's initial parameters)
 * @param hadoopConf {@code spark.hadoop.*} settings of the job, for the executors' file system
 *     clients
 */
public record CheckpointSpec(String uri, int everySteps, int keep, long restoreStep,
    TreeMap<String, String> hadoopConf) implements Serializable {

  /** No checkpoints. */
  public static CheckpointSpec none() {
    return new CheckpointSpec("", 0, 1, -1, new TreeMap<>());
  }

  public boolean enabled() {
    return !uri.isEmpty();
  }

  /** The same settings with another step to restore from. */
  public CheckpointSpec restoringFrom(long step) {
    return new CheckpointSpec(uri, everySteps, keep, step, hadoopConf);
  }

  /** A Hadoop configuration for the store on this JVM: the defaults plus the job's settings. */
  public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
    org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
    hadoopConf.forEach(conf::set);
    return conf;
  }
}
