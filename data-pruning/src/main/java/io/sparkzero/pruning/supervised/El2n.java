package io.sparkzero.pruning.supervised;

/**
 * The EL2N score of one example (Paul et al., NeurIPS 2021): the L2 norm of the error vector,
 * {@code ‖p − onehot(y)‖₂}, where {@code p} is the network's softmax output. 0 for a confident
 * correct answer, up to √2 for a confident wrong one. High = hard.
 */
public final class El2n {
  private El2n() {}

  /** {@code ‖probabilities − onehot(label)‖₂}; {@code label} indexes {@code probabilities}. */
  public static double score(float[] probabilities, int label) {
    if (label < 0 || label >= probabilities.length) {
      throw new IllegalArgumentException("label " + label + " is outside the network's "
          + probabilities.length + " outputs; EL2N needs the example's class among them");
    }
    double squares = 0;
    for (int c = 0; c < probabilities.length; c++) {
      double error = probabilities[c] - (c == label ? 1.0 : 0.0);
      squares += error * error;
    }
    return Math.sqrt(squares);
  }

  /** Whether the network's answer (the largest output, the lowest class on a tie) is {@code label}. */
  public static boolean correct(float[] probabilities, int label) {
    int best = 0;
    for (int c = 1; c < probabilities.length; c++) {
      best = probabilities[c] > probabilities[best] ? c : best;
    }
    return best == label;
  }
}
