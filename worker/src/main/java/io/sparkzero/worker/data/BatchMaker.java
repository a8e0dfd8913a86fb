package io.sparkzero.worker.data;

/**
 * How a step's examples become the network's input and target: chosen once per epoch from the
 * job's {@link Objective}, called for every micro-batch. An implementation is a pure function of
 * the examples it is given (and the epoch it was made for), so every ZeRO stage, every
 * micro-batch split and a resume from a checkpoint see the same batches.
 */
@FunctionalInterface
public interface BatchMaker {

  /** Classification: the features as they are, the labels one-hot ({@link LocalDataset#batch}). */
  BatchMaker CLASSIFY = LocalDataset::batch;

  /** The batch of the examples at {@code indices} of {@code data}. */
  LocalDataset.Batch batch(LocalDataset data, int[] indices);
}
