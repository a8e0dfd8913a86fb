/**
 * A rank's epoch, free of Spark: {@link io.sparkzero.worker.session.RankSession} runs one epoch
 * attempt ({@link io.sparkzero.worker.session.EpochAttempt}) of a job ({@link
 * io.sparkzero.worker.session.RankJob}): the state kept on the executor between epochs, the
 * restore from a checkpoint and the saves during the epoch, the state sync at its start, the
 * steps, and the outcome the rank reports. The driver's barrier task is a thin adapter to it.
 */
package io.sparkzero.worker.session;
