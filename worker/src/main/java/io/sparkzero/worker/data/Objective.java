package io.sparkzero.worker.data;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What a job trains the network to do ({@code train.objective}): predict the label, or rebuild
 * the clean image from a copy with patches masked out ({@link MaskedPatches}), which needs no
 * labels and teaches an encoder features that pruning can cluster.
 *
 * @param kind classify or reconstruct
 * @param maskRatio reconstruct: the probability that a patch is zeroed, in (0, 1)
 */
public record Objective(Kind kind, double maskRatio) implements Serializable {

  /** The objectives, by their option value. */
  public enum Kind {
    /** Features in, one-hot label out. */
    CLASSIFY,
    /** Masked image in, the clean image out. */
    RECONSTRUCT;

    /** The option value: {@code classify} or {@code reconstruct}. */
    public String optionName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind named {@code value}; unknown names list the known ones. */
    public static Kind named(String value) {
      for (Kind k : values()) {
        if (k.optionName().equals(value)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown objective '" + value + "': expected one of "
          + String.join(" | ", names()));
    }

    /** The option values, in declaration order. */
    public static List<String> names() {
      return java.util.Arrays.stream(values()).map(Kind::optionName).toList();
    }
  }

  public Objective {
    if (kind == Kind.RECONSTRUCT && !(maskRatio > 0 && maskRatio < 1)) {
      throw new IllegalArgumentException("mask ratio " + maskRatio + " is outside (0, 1)");
    }
  }

  /** The default: classification. */
  public static Objective classify() {
    return new Objective(Kind.CLASSIFY, 0);
  }

  /** Masked reconstruction, each patch zeroed with probability {@code maskRatio}. */
  public static Objective reconstruct(double maskRatio) {
    return new Objective(Kind.RECONSTRUCT, maskRatio);
  }

  /** Whether the network's target is its own (clean) input rather than a label. */
  public boolean reconstructs() {
    return kind == Kind.RECONSTRUCT;
  }

  /**
   * The batches of epoch {@code epoch} of a job seeded {@code seed}, for examples of {@code
   * numFeatures} features; reconstruct throws {@link IllegalArgumentException} for features that
   * are not a square image cut by whole patches ({@link MaskedPatches#of}).
   */
  public BatchMaker batches(long seed, int epoch, int numFeatures) {
    return reconstructs() ? MaskedPatches.of(numFeatures, maskRatio, seed, epoch) : BatchMaker.CLASSIFY;
  }
}
