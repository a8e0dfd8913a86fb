package io.sparkzero.pruning.ssp;

import java.io.Serializable;

/**
 * One example's outcome as an executor computes it, before the driver collects it: its cluster,
 * its score against that cluster's centroid, and the same distance to the second-nearest centroid
 * (NaN with one cluster).
 */
record ScoredExample(long id, int label, int cluster, double score, double secondScore)
    implements Serializable {}
