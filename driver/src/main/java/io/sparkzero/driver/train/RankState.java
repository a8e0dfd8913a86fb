package io.sparkzero.driver.train;

import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.train.DataParallelTrainer;

/**
 * What a rank keeps on its executor between epochs (Spark stages): its data partition, its model
 * and optimizer, and how many epochs they have seen.
 *
 * @param trainer model, flat parameters and optimizer state
 * @param data the rank's partition, collected once
 * @param epochsDone the generation: epochs completed by this state
 */
record RankState(DataParallelTrainer trainer, LocalDataset data, int epochsDone) {}
