package io.sparkzero.pruning;

import java.util.SortedMap;

/**
 * What a selection kept, for the run's log and the pruning report.
 *
 * @param metric the metric whose scores were ranked
 * @param policyUsed HARD or EASY (AUTO resolved)
 * @param policyReason why that policy, in one line (for AUTO: the abundance judgement)
 * @param examplesTotal examples scored
 * @param keptTotal examples kept: max(1, round(fractionRequested x examplesTotal))
 * @param fractionRequested {@code pruning.fraction}
 * @param examplesPerClass examples scored per label; empty when unlabelled
 * @param keptPerClass examples kept per label (0 included); empty when unlabelled
 */
public record SelectionSummary(String metric, KeepPolicy policyUsed, String policyReason, long examplesTotal,
    long keptTotal, double fractionRequested, SortedMap<Integer, Long> examplesPerClass,
    SortedMap<Integer, Long> keptPerClass) {

  /** The share of the examples actually kept (differs from the request by rounding only). */
  public double fractionActual() {
    return (double) keptTotal / examplesTotal;
  }
}
