/**
 * Self-supervised data pruning (encoder, SSP scores, selection, report). The module exists so the reactor has its final shape.
 */
package io.sparkzero.pruning;
