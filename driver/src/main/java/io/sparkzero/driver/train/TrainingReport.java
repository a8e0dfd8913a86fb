package io.sparkzero.driver.train;

import io.sparkzero.driver.eval.Evaluator;
import java.util.List;

/**
 * The outcome of a training run.
 *
 * @param epochs one summary per epoch
 * @param evaluation test-set result after the last epoch, or null when no test data was given
 * @param evaluations every evaluation made, in order (one per epoch with eval.every-epoch)
 * @param finalParams the trained flat parameters, when the job evaluated or wrote the model (else
 *     null: the ranks keep their shards)
 * @param skippedRecords bad training records skipped under {@code data.on-bad-record: skip}
 * @param robust the last epoch's robust evaluation ({@code eval.robust-steps}), or null
 */
public record TrainingReport(
    List<EpochSummary> epochs, Evaluator.Result evaluation, List<Evaluator.Result> evaluations,
    float[] finalParams, long skippedRecords, Evaluator.Robust robust) {}
