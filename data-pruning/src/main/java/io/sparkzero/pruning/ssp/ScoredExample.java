package io.sparkzero.pruning.ssp;

import java.io.Serializable;

/** One example's outcome as an executor computes it, before the driver collects it. */
record ScoredExample(long id, int label, int cluster, double score) implements Serializable {}
