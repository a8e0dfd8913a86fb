package io.sparkzero.driver.train;

import java.io.Serializable;

/**
 * When a rank passed each point of one barrier stage, in wall-clock milliseconds: what the
 * driver splits a stage's fixed cost by ({@link StageOverhead}).
 *
 * @param taskStartMs the rank's task started on its executor
 * @param collectivesOpenMs the rank met its peers (Spark's barrier) and its Aeron links were up
 * @param stateReadyMs its data and model were built (or kept from the last epoch), restored and
 *     aligned with the other ranks
 * @param trainStartMs its first step started
 * @param trainEndMs its last step ended
 * @param doneMs the epoch's checkpoint and the closing barrier were behind it
 * @param ringKept whether the rank took up the ring its executor kept from the last stage, rather
 *     than building one ({@link KeptRings})
 */
public record StageTimeline(long taskStartMs, long collectivesOpenMs, long stateReadyMs,
    long trainStartMs, long trainEndMs, long doneMs, boolean ringKept) implements Serializable {}
