/**
 * Self-supervised prototype (SSP) scores (Sorscher et al., NeurIPS 2022; docs: ALGORITHMS.md
 * section 4): how far each example's embedding lies from the prototype of its k-means cluster.
 *
 * <p>{@link io.sparkzero.pruning.ssp.PrototypeScorer} runs the steps: check the embeddings
 * ({@code EmbeddingStats}, one pass, before any k-means work), L2-normalise them, cluster them
 * with MLlib's k-means, then score every example on the executors as {@code 1 − cos(e, c)} against
 * its nearest normalised centroid. A high score means hard (far from its prototype). The same
 * distance to the second-nearest centroid is kept too: the gap between the two says how close an
 * example lies to a cluster boundary, which the report shows as the most ambiguous examples. The
 * result ({@link io.sparkzero.pruning.ssp.SspResult}) is collected to the driver: five numbers per
 * example (40 bytes at most), about 2.4 MB for Fashion-MNIST's 60,000 examples, which the ranking
 * and the report need in one place anyway.
 *
 * <p><b>Why the cosine distance measure.</b> On unit vectors Euclidean and cosine distance pick
 * the same nearest centroid only when the centroids are unit vectors too, and Euclidean k-means
 * keeps the mean of its members, whose length shrinks as the cluster spreads. Spark's cosine
 * measure (spherical k-means) normalises each centroid after every update, so the objective it
 * minimises is exactly the sum of the scores reported here, and the cluster it assigns is the one
 * the score is measured against. The scorer still recomputes the assignment itself, by the same
 * rule (largest cosine, lowest cluster index on a tie), so score and cluster agree by construction.
 *
 * <p>{@link io.sparkzero.pruning.ssp.ClassPrototypeScorer} is the supervised counterpart
 * ({@code supervised-prototypes}): the same embeddings and {@code 1 − cos} score, but each
 * example against the centroid of its own class instead of its nearest k-means cluster. It sits
 * here because it shares the embeddings, their normalisation and {@code Prototypes}.
 *
 * <p>The encoder that produces the embeddings is not part of this package.
 */
package io.sparkzero.pruning.ssp;
