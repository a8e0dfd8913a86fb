package io.sparkzero.pruning;

import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import java.util.List;

/**
 * Every selection option in one place: key, type, default, what is allowed and a one-line doc.
 * {@link PruningOptions} checks its values against these specs.
 *
 * <p>Why {@code pruning.abundant-per-class} defaults to 1000: the paper gives no number, so the
 * default is set by the two experiments issue 19 names. Full Fashion-MNIST (60,000 examples, 6,000
 * per class) must count as abundant, and its 5,000-example subset (500 per class) as scarce; 1000
 * sits between them with a margin of two on the scarce side and six on the abundant side. On
 * other data sets it is a heuristic: set {@code pruning.keep} to hard or easy to overrule it.
 */
public final class PruningOptionSpecs {

  public static final String FRACTION_KEY = "pruning.fraction";
  public static final String KEEP_KEY = "pruning.keep";
  public static final String CLASS_FLOOR_KEY = "pruning.class-floor";
  public static final String ABUNDANT_PER_CLASS_KEY = "pruning.abundant-per-class";
  public static final String SEED_KEY = "pruning.seed";
  public static final String METRIC_KEY = "pruning.metric";
  public static final String EMBEDDING_KEY = "pruning.embedding";
  public static final String K_KEY = "pruning.k";
  public static final String OUTPUT_KEY = "pruning.output";
  public static final String SCORES_KEY = "pruning.scores";
  public static final String RESCORE_EVERY_KEY = "pruning.rescore-every";
  public static final String ALSO_SCORE_KEY = "pruning.also-score";
  public static final String PROBE_EPOCHS_KEY = "pruning.probe-epochs";
  public static final String PROBE_SEEDS_KEY = "pruning.probe-seeds";
  public static final String REPORT_THUMBNAILS_KEY = "pruning.report-thumbnails";
  public static final String EXPERIMENT_KEY = "pruning.experiment";
  public static final String KNN_CHECK_KEY = "pruning.knn-check";
  public static final String PROJECTION_KEY = "pruning.projection-dims";

  /** The embedding of the raw features, the baseline every learned embedding must beat. */
  public static final String PIXELS = "pixels";
  /** The prefix of an embedding read from a DL4J model file: {@code model:<uri>#<layer>}. */
  public static final String MODEL_PREFIX = "model:";
  /** The prefix of an embedding read from the model being trained: {@code training#<layer>}. */
  public static final String TRAINING_PREFIX = "training#";

  public static final OptionSpec<Double> FRACTION = OptionSpec.doubleRange(FRACTION_KEY, 1.0, 0.0, 1.0,
      "share of the training examples kept; 1 keeps all (no pruning)");
  public static final OptionSpec<KeepPolicy> KEEP = OptionSpec.typed(KEEP_KEY, KeepPolicy.class,
      KeepPolicy.AUTO, "one of hard | easy | auto", KeepPolicy::of, KeepPolicy::configValue,
      "which end of the score ranking to keep; auto: hard when data is abundant, easy when scarce");
  public static final OptionSpec<Double> CLASS_FLOOR = OptionSpec.doubleClosed(CLASS_FLOOR_KEY, 0.5, 0.0, 1.0,
      "each class keeps at least this share of round(fraction x its examples); 0 turns balancing off");
  public static final OptionSpec<Long> ABUNDANT_PER_CLASS = OptionSpec.longRange(ABUNDANT_PER_CLASS_KEY,
      1000L, 1L, 1_000_000_000L,
      "keep: auto counts data as abundant from this many examples per class (unlabelled: 10 x this in all)");
  public static final OptionSpec<Long> SEED = OptionSpec.longRange(SEED_KEY, 1L, 0L, Long.MAX_VALUE,
      "seed of the tie-breaking order among equal scores and of the random metric");

  public static final OptionSpec<String> METRIC = OptionSpec.stringWhere(METRIC_KEY, "ssp", PruningMetric.names(),
      text -> isMetricList(text) && !text.isBlank() && !text.contains(","),
      "the metric whose scores select the kept examples: ssp (distance to the nearest k-means prototype),"
          + " random (the baseline), el2n, forgetting (probe runs, labels) or supervised-prototypes (labels)");
  public static final OptionSpec<String> ALSO_SCORE = OptionSpec.stringWhere(ALSO_SCORE_KEY, "random",
      "comma-separated metrics (" + PruningMetric.names() + "), or empty for none", PruningOptionSpecs::isMetricList,
      "further metrics scored for comparison only: each gets a score_<metric> column in scores.parquet");
  public static final OptionSpec<Integer> PROBE_EPOCHS = OptionSpec.intRange(PROBE_EPOCHS_KEY, 2, 1, 1000,
      "el2n and forgetting: epochs of each probe training run (EL2N is taken after the last)");
  public static final OptionSpec<Integer> PROBE_SEEDS = OptionSpec.intRange(PROBE_SEEDS_KEY, 3, 1, 100,
      "el2n and forgetting: probe training runs averaged over; run i trains with train.seed = pruning.seed + i");
  public static final OptionSpec<String> EMBEDDING = OptionSpec.stringWhere(EMBEDDING_KEY, PIXELS,
      "pixels | model:<DL4J model file URI>#<layer name or index> | training#<layer name or index>",
      PruningOptionSpecs::isEmbedding,
      "what ssp clusters: the raw features, one layer of a DL4J model file, or (train only) one layer of"
          + " the model being trained");
  public static final OptionSpec<Integer> K = OptionSpec.intRange(K_KEY, 0, 0, Integer.MAX_VALUE,
      "ssp: the number of k-means clusters; 0: 10 x the number of classes");
  public static final OptionSpec<String> OUTPUT = OptionSpec.optionalString(OUTPUT_KEY,
      "a Hadoop FileSystem directory URI; empty: not set (required by prune)",
      "where prune writes scores.parquet, summary.json and report.html");
  public static final OptionSpec<Integer> REPORT_THUMBNAILS = OptionSpec.intRange(REPORT_THUMBNAILS_KEY, 8, 0, 64,
      "report.html: the easiest, hardest and most ambiguous examples drawn per class, this many each; 0: none");
  public static final OptionSpec<String> EXPERIMENT = OptionSpec.optionalString(EXPERIMENT_KEY,
      "a Hadoop FileSystem URI of an experiment results JSON file; empty: none",
      "report.html draws test accuracy against the kept fraction from this file's runs");

  public static final OptionSpec<String> SCORES = OptionSpec.optionalString(SCORES_KEY,
      "a Hadoop FileSystem URI of a scores.parquet written by prune, or of its directory; empty: not set",
      "train only: select from these scores (column score_<pruning.metric>) instead of scoring again");
  public static final OptionSpec<Integer> RESCORE_EVERY = OptionSpec.intRange(RESCORE_EVERY_KEY, 0, 0,
      100_000, "train only: score again every this many epochs with the model being trained"
          + " (el2n, or embedding training#<layer>); 0 scores once, before the first epoch");

  public static final OptionSpec<Integer> PROJECTION = OptionSpec.intRange(PROJECTION_KEY, 0, 0, 65_536,
      "ssp and supervised-prototypes: project wider embeddings to this many dimensions (seeded Gaussian"
          + " random projection) before clustering, which cuts k-means' cost; 0: as they are");
  public static final OptionSpec<Boolean> KNN_CHECK = OptionSpec.bool(KNN_CHECK_KEY, false,
      "with data.test: also measure the k-NN accuracy (cosine, k=20) of the test set against the training"
          + " set, in pruning.embedding and in raw pixels, to show whether the embedding is worth clustering");

  /** All of them, in the order an option table lists them. */
  public static final List<OptionSpec<?>> ALL = List.of(FRACTION, KEEP, CLASS_FLOOR, ABUNDANT_PER_CLASS, SEED,
      METRIC, ALSO_SCORE, PROBE_EPOCHS, PROBE_SEEDS, EMBEDDING, K, OUTPUT, REPORT_THUMBNAILS, EXPERIMENT,
      KNN_CHECK, PROJECTION, SCORES, RESCORE_EVERY);

  private PruningOptionSpecs() {}

  /** Whether {@code text} names an embedding: pixels, or model:<uri>#<layer> with both parts non-empty. */
  static boolean isEmbedding(String text) {
    if (text.equals(PIXELS)) {
      return true;
    }
    if (text.startsWith(TRAINING_PREFIX)) {
      return text.length() > TRAINING_PREFIX.length();
    }
    int hash = text.lastIndexOf('#');
    return text.startsWith(MODEL_PREFIX) && hash > MODEL_PREFIX.length() && hash < text.length() - 1;
  }

  /** Whether {@code text} is a comma-separated list of metric names (blank: the empty list). */
  static boolean isMetricList(String text) {
    try {
      PruningMetric.listOf(METRIC_KEY, text);
      return true;
    } catch (PruningException e) {
      return false;
    }
  }

  /** {@code value} when {@code spec} allows it, else a {@link PruningException} naming both. */
  static <T> T check(OptionSpec<T> spec, T value) {
    try {
      return spec.check(value);
    } catch (ConfigException e) {
      throw new PruningException(spec.key(), value == null ? "null" : spec.show(value), spec.allowed());
    }
  }
}
