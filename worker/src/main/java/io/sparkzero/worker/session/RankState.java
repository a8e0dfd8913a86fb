package io.sparkzero.worker.session;

import io.sparkzero.worker.train.ZeroTrainer;

/**
 * What a rank keeps on its executor between epochs (Spark stages): its data partition, its model
 * and optimizer, and how many epochs they have seen.
 *
 * @param trainer model, parameters and the shard's optimizer state
 * @param data the rank's partition, collected once
 * @param epochsDone the generation: epochs completed by this state
 * @param device the ND4J device its arrays live on ({@link GpuBinding})
 */
record RankState(ZeroTrainer trainer, RankData data, int epochsDone, int device) {}
