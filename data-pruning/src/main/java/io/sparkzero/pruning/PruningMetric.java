package io.sparkzero.pruning;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The ways {@code prune} can score examples, each with what it needs: an embedding, probe training
 * runs, labels. Chosen once from {@code pruning.metric} and {@code pruning.also-score}; the job asks
 * a metric what it needs instead of comparing names.
 */
public enum PruningMetric {
  /** Distance to the nearest k-means prototype of the embeddings (Sorscher et al. 2022). */
  SSP("ssp", true, false, false),
  /** A uniform ranking: the baseline every metric must beat. */
  RANDOM("random", false, false, false),
  /** ‖softmax − one-hot label‖₂ early in training, mean over probe runs (Paul et al. 2021). */
  EL2N("el2n", false, true, true),
  /** Correct-to-wrong transitions between probe epochs, mean over probe runs (Toneva et al. 2019). */
  FORGETTING("forgetting", false, true, true),
  /** Distance to the centroid of the example's own class in the embedding space. */
  SUPERVISED_PROTOTYPES("supervised-prototypes", true, false, true);

  private final String configValue;
  private final boolean needsEmbedding;
  private final boolean needsProbes;
  private final boolean needsLabels;

  PruningMetric(String configValue, boolean needsEmbedding, boolean needsProbes, boolean needsLabels) {
    this.configValue = configValue;
    this.needsEmbedding = needsEmbedding;
    this.needsProbes = needsProbes;
    this.needsLabels = needsLabels;
  }

  /** The metric named {@code text} in a job file; a {@link PruningException} for any other name. */
  public static PruningMetric of(String key, String text) {
    String name = text.trim().toLowerCase(Locale.ROOT);
    for (PruningMetric m : values()) {
      if (m.configValue.equals(name)) {
        return m;
      }
    }
    throw new PruningException(key, text, names());
  }

  /**
   * The metrics of a comma-separated list (blank: none), in the order given, each once; a
   * {@link PruningException} naming {@code key} for an unknown name.
   */
  public static List<PruningMetric> listOf(String key, String text) {
    Set<PruningMetric> metrics = new LinkedHashSet<>();
    if (!text.isBlank()) {
      for (String part : text.split(",", -1)) {
        metrics.add(of(key, part));
      }
    }
    return new ArrayList<>(metrics);
  }

  /** Every name, as a job file's allowed values: {@code ssp | random | ...}. */
  public static String names() {
    return String.join(" | ", List.of(values()).stream().map(PruningMetric::configValue).toList());
  }

  /** The name in a job file and in {@link ExampleScores#metric()}. */
  public String configValue() {
    return configValue;
  }

  /** The column of {@code scores.parquet} that holds this metric's score: {@code score_<name>}. */
  public String column() {
    return "score_" + configValue.replace('-', '_');
  }

  /** Whether it reads {@code pruning.embedding}'s vectors. */
  public boolean needsEmbedding() {
    return needsEmbedding;
  }

  /** Whether it reads the probe training runs ({@code pruning.probe-epochs}, {@code probe-seeds}). */
  public boolean needsProbes() {
    return needsProbes;
  }

  /** Whether it cannot score examples without labels. */
  public boolean needsLabels() {
    return needsLabels;
  }
}
