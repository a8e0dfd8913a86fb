/**
 * Data pruning (Sorscher et al., NeurIPS 2022): score every training example, then train on a
 * kept fraction of them. This package holds the half that needs no Spark: the score contract and
 * the selection. The SSP scoring on Spark lives in {@code io.sparkzero.pruning.ssp}.
 *
 * <h2>The score contract</h2>
 *
 * <p>A metric produces {@link io.sparkzero.pruning.ExampleScores}: one score per example id, with
 * its label when there is one, and the metric's name. Every metric orients its scores the same
 * way, <b>high = hard</b>: far from the nearest prototype (SSP: 1 - cosine to the centroid), a
 * high error (EL2N), often forgotten (forgetting; never-learned counts hardest). So one selection
 * serves every metric, and two metrics' score files compare without sign flips. {@link
 * io.sparkzero.pruning.RandomScores} is the baseline metric under the same contract: a score from a
 * hash of (seed, id), so it does not depend on partitioning or order.
 *
 * <h2>Selection</h2>
 *
 * <p>{@link io.sparkzero.pruning.Selector} turns scores into a kept set ({@link
 * io.sparkzero.pruning.Selection}): rank globally in the {@link io.sparkzero.pruning.KeepPolicy}'s
 * direction (HARD keeps the highest scores, EASY the lowest, AUTO picks by data abundance), break
 * ties with a seeded order keyed by id, guarantee each class a floor share of the quota random
 * pruning would give it, then fill the budget round(fraction x n) from the global ranking. It is a
 * pure function: the same scores, options and seed give the same ids in any input order, so the
 * driver can run it once and ship the kept ids to the ranks. The options, with their defaults and
 * reasons, are in {@link io.sparkzero.pruning.PruningOptionSpecs}; a bad value, or a kept set
 * smaller than one step needs, is a {@link io.sparkzero.pruning.PruningException} raised before
 * any training starts.
 */
package io.sparkzero.pruning;
