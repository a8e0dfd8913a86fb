package io.sparkzero.pruning.ssp;

import java.io.Serializable;

/**
 * One example to score: its id, its class label ({@link #UNKNOWN_LABEL} when unknown) and its
 * embedding as the encoder produced it (not yet normalised).
 *
 * @param id the example's id, unique in the data set
 * @param label the class, {@code >= 0}, or {@link #UNKNOWN_LABEL}
 * @param embedding the encoder's output; every example must have the same length
 */
public record SspExample(long id, int label, float[] embedding) implements Serializable {

  /** The label of an example whose class is not known. */
  public static final int UNKNOWN_LABEL = -1;

  /** Whether the class of this example is known. */
  public boolean hasLabel() {
    return label != UNKNOWN_LABEL;
  }
}
