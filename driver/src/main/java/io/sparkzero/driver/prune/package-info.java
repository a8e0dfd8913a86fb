/**
 * The {@code prune} command's job: score the training data, select what pruning keeps, and
 * report it. {@link io.sparkzero.driver.prune.PruneJob} reads top to bottom: data (as {@code
 * train} loads it), scores ({@code PruneScores}: ssp on an {@code Embedding}, or random), the
 * selection (the data-pruning module's {@code Selector}), the report's inputs ({@code
 * ReportInputs}), the three files ({@code PruneFiles}).
 *
 * <p>Why the scores and the selection are on the driver: the ranking is global (one budget over
 * all classes), and the collected table is 24 bytes an example, a few tens of MB for millions.
 * The embedding is chosen once ({@code Embedding.of}) and is the only place that knows whether
 * the vectors are raw features or a model layer's activations. The model file is read and
 * checked on the driver, so a wrong layer or input size fails before the executors start on the
 * data, and then broadcast, so executors need not reach the file's file system.
 *
 * <p>The report's later sections take plain inputs (scores by metric in one example order, the
 * pixels of a few examples, an experiment's results) rather than the run's internals, so that a
 * run that scores several metrics, or the comparison command with its results, renders the same
 * page. The thumbnails' pixels are fetched by id from the executors, a few hundred examples at
 * most, never the data set.
 *
 * <p>Not wired into {@code train} yet: a run's epochs still see every example.
 */
package io.sparkzero.driver.prune;
