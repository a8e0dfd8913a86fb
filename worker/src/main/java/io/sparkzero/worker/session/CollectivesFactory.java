package io.sparkzero.worker.session;

import io.sparkzero.sharding.collective.AeronCollectives;
import io.sparkzero.sharding.collective.AeronRuntime;
import io.sparkzero.sharding.collective.CollectiveOptions;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.Rendezvous;
import io.sparkzero.sharding.collective.RuntimeOptions;

/**
 * Connects a rank to its peers: the host's shared Aeron runtime (started by the first rank on the
 * host, reused by later stages) and a ring of Aeron streams met through the rendezvous.
 */
public final class CollectivesFactory {
  private CollectivesFactory() {}

  /** The job's collective options. */
  public static CollectiveOptions options(RankJob job) {
    return CollectiveOptions.fromMap(job.jobToken(), job.collective());
  }

  /** Connects this rank to its peers, met through {@code rendezvous}, on one host. */
  public static Collectives open(Rendezvous rendezvous, RankJob job) {
    return open(rendezvous, job, null);
  }

  /**
   * Connects this rank to its peers, met through {@code rendezvous}.
   *
   * @param executorHost the address the cluster manager gave this rank's executor, which {@code
   *     collective.bind-host=auto} binds; null outside Spark
   */
  public static Collectives open(Rendezvous rendezvous, RankJob job, String executorHost) {
    CollectiveOptions options = options(job).withBindHostResolved(executorHost);
    AeronRuntime runtime = AeronRuntime.acquire(RuntimeOptions.of(options));
    return AeronCollectives.create(rendezvous, options, runtime);
  }
}
