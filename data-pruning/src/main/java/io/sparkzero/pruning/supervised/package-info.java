/**
 * Label-based pruning baselines made from short probe training runs (docs: ALGORITHMS.md section
 * 4): EL2N ({@link io.sparkzero.pruning.supervised.El2n}, Paul et al. 2021) and forgetting counts
 * ({@link io.sparkzero.pruning.supervised.Forgetting}, Toneva et al. 2019, per epoch rather than
 * per mini-batch). Pure computations on the driver: the probe runs themselves train on the
 * engine ({@code io.sparkzero.driver.prune}), which hands each epoch's answers to {@link
 * io.sparkzero.pruning.supervised.ProbeScores}.
 *
 * <p>How many runs: Paul et al. recommend at least ten; {@code pruning.probe-seeds} defaults to
 * three, to keep a prune's cost near three short trainings. Raise it for a study.
 */
package io.sparkzero.pruning.supervised;
