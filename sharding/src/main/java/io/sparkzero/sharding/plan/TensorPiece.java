package io.sparkzero.sharding.plan;

/**
 * The part of one tensor that lies in one rank's shard.
 *
 * @param tensor index of the tensor in the plan ({@link PartitionPlan#tensor(int)})
 * @param range the part's absolute offsets in the flat vector, never empty
 */
public record TensorPiece(int tensor, Range range) {

  public TensorPiece {
    if (tensor < 0 || range == null || range.isEmpty()) {
      throw new IllegalArgumentException(
          "tensor piece (" + tensor + ", " + range
              + ") needs a tensor index >= 0 and a non-empty range");
    }
  }
}
