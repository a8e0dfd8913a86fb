package io.sparkzero.driver.progress;

/**
 * What the driver knows about a run before its first epoch: the header of the metrics file and
 * the denominators of progress (steps per epoch, epochs).
 *
 * @param firstEpoch zero-based epoch the run starts at (above 0 when it resumed)
 * @param batchPerRank examples per rank per step, after gradient accumulation
 */
public record RunFacts(String job, String appId, String model, int worldSize, int epochs,
    int firstEpoch, int stepsPerEpoch, int batchPerRank, long trainExamples, int zeroStage,
    Plan plan) {

  /** The memory plan per rank, and where the budget it was checked against came from. */
  public record Plan(long paramBytes, long gradBytes, long optimizerBytes, long bufferBytes,
      long budgetBytes, String budgetSource, long diskBytes) {

    /** Model state kept between steps: what a rank's measured state bytes compare with. */
    public long persistentBytes() {
      return paramBytes + gradBytes + optimizerBytes;
    }
  }
}
