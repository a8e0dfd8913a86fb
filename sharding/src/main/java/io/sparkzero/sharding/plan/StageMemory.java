package io.sparkzero.sharding.plan;

/**
 * Bytes one rank holds at one ZeRO stage.
 *
 * @param stage the ZeRO stage
 * @param paramBytes compute copy of the parameters this rank keeps between steps
 * @param gradBytes gradients this rank keeps after the reduction
 * @param optimizerBytes optimizer state, including the fp32 master copy in mixed precision
 * @param bufferBytes transient memory on top of that during a step
 */
public record StageMemory(
    ZeroStage stage, long paramBytes, long gradBytes, long optimizerBytes, long bufferBytes) {

  /** Model state kept between steps: parameters, gradients and optimizer state. */
  public long persistentBytes() {
    return paramBytes + gradBytes + optimizerBytes;
  }

  /** The most a step needs at once: persistent bytes plus buffers. */
  public long peakBytes() {
    return persistentBytes() + bufferBytes;
  }
}
