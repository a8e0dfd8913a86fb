package io.sparkzero.driver.train;

import io.sparkzero.worker.train.EpochResult;
import java.io.Serializable;

/**
 * A rank's answer to the driver at the end of a stage.
 *
 * @param result the epoch's metrics and parameter hash
 * @param params the final parameters (rank 0 of the last epoch only; else null)
 * @param stateReceivedFromRank rank whose state this rank received at the stage's start, or -1
 * @param processId process id of the JVM the rank ran in (tells executors apart in tests and logs)
 */
public record RankReport(EpochResult result, float[] params, int stateReceivedFromRank, long processId)
    implements Serializable {}
