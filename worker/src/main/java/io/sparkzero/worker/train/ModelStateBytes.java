package io.sparkzero.worker.train;

import java.io.Serializable;

/**
 * The bytes of model state a rank holds, read from the live buffers (array lengths times element
 * size), to set against the memory planner's prediction.
 *
 * @param paramBytes parameters: the full replica at stages 0-2, the shard at stage 3
 * @param gradBytes gradients kept between the backward pass and the optimizer step
 * @param optimizerBytes optimizer state (the shard's at stages 1-3)
 * @param bufferBytes working buffers of a step: the optimizer's chunk arrays, plus at stages 2
 *     and 3 the most bytes of layer gradients and gathered layers held at once so far
 * @param peakParamBytes the most parameter bytes held at once: the replica at stages 0-2; the
 *     shard plus the most gathered layers at once at stage 3
 */
public record ModelStateBytes(long paramBytes, long gradBytes, long optimizerBytes, long bufferBytes,
    long peakParamBytes) implements Serializable {

  /** What survives between steps: parameters, gradients and optimizer state. */
  public long persistentBytes() {
    return paramBytes + gradBytes + optimizerBytes;
  }
}
