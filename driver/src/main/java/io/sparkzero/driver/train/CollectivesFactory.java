package io.sparkzero.driver.train;

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
final class CollectivesFactory {
  private CollectivesFactory() {}

  static CollectiveOptions options(RankSpec spec) {
    return CollectiveOptions.fromMap(spec.jobToken(), spec.collective());
  }

  static Collectives open(Rendezvous rendezvous, RankSpec spec) {
    CollectiveOptions options = options(spec);
    AeronRuntime runtime = AeronRuntime.acquire(RuntimeOptions.of(options));
    return AeronCollectives.create(rendezvous, options, runtime);
  }
}
