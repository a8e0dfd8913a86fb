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

  /** Connects this rank to its peers, met through {@code rendezvous}. */
  public static Collectives open(Rendezvous rendezvous, RankJob job) {
    CollectiveOptions options = options(job);
    AeronRuntime runtime = AeronRuntime.acquire(RuntimeOptions.of(options));
    return AeronCollectives.create(rendezvous, options, runtime);
  }
}
