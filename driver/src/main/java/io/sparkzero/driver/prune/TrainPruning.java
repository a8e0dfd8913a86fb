package io.sparkzero.driver.prune;

import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.train.Consolidation;
import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningMetric;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.Selection;
import io.sparkzero.pruning.SelectionSummary;
import io.sparkzero.pruning.Selector;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import io.sparkzero.worker.data.KeptIds;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Data pruning before epochs, in train: which examples each epoch trains on. The set is chosen
 * before the first epoch (scored in the run, or read from a prune run's {@code pruning.scores}),
 * and chosen again every {@code pruning.rescore-every} epochs with the model being trained. With
 * checkpoints each set is stored beside them ({@link KeptSetFiles}), and a resumed run trains on
 * the sets the interrupted one did; a resume with other pruning options is refused, since it
 * would train on other examples.
 *
 * <p>Steps per epoch are fixed by the first set for the whole run (a later set keeps the same
 * share of the same data, so its size differs at most by class floors); ranks stay in lock-step
 * whatever their share of a set, as they do with unequal partitions.
 */
public final class TrainPruning implements AutoCloseable {
  /** The options whose values choose the kept set; a resume must not change them. */
  private static final List<OptionSpec<?>> CHOICE = List.of(PruningOptionSpecs.FRACTION,
      PruningOptionSpecs.KEEP, PruningOptionSpecs.CLASS_FLOOR, PruningOptionSpecs.ABUNDANT_PER_CLASS,
      PruningOptionSpecs.SEED, PruningOptionSpecs.METRIC, PruningOptionSpecs.EMBEDDING, PruningOptionSpecs.K,
      PruningOptionSpecs.SCORES, PruningOptionSpecs.RESCORE_EVERY);
  private static final String EXAMPLES = "examples";

  private final SparkSession spark;
  private final JobConfig config;
  private final PruneSettings settings;
  private final LoadedData data;
  private final long examples;
  private final KeptSetFiles files;
  private final PrintStream out;
  private final ProbeRuns probes;
  private KeptIds current;
  private int currentFrom = -1;
  private Broadcast<KeptIds> shared;

  private TrainPruning(SparkSession spark, JobConfig config, LoadedData data, long examples,
      KeptSetFiles files, PrintStream out) {
    this.spark = spark;
    this.config = config;
    this.settings = PruneSettings.forTraining(config);
    this.data = data;
    this.examples = examples;
    this.files = files;
    this.out = out;
    this.probes = settings.needsProbes() ? ProbeRuns.checked(config, settings.probes(), Console.plain(out))
        : ProbeRuns.NONE;
  }

  /** Whether {@code config} prunes: a kept share below 1. */
  public static boolean enabled(JobConfig config) {
    return config.get(PruningOptionSpecs.FRACTION) < 1.0;
  }

  /**
   * Checks train's pruning options before Spark starts: those prune checks, plus re-scoring
   * needs a metric of the model being trained (el2n, or an embedding {@code training#<layer>}),
   * which scores from a file are not.
   */
  public static void check(JobConfig config) {
    if (!enabled(config)) {
      return;
    }
    PruneSettings settings = PruneSettings.forTraining(config);
    int every = config.get(PruningOptionSpecs.RESCORE_EVERY);
    boolean fromFile = !config.get(PruningOptionSpecs.SCORES).isBlank();
    boolean ofTrainingModel = settings.selecting() == PruningMetric.EL2N || settings.needsEmbedding()
        && settings.embedding().startsWith(PruningOptionSpecs.TRAINING_PREFIX);
    if (every > 0 && (fromFile || !ofTrainingModel)) {
      throw new PruningException(PruningOptionSpecs.RESCORE_EVERY_KEY, every + " re-scores with the model"
          + " being trained, but " + (fromFile ? "pruning.scores reads fixed scores from a file"
              : "pruning.metric=" + settings.metric() + " with pruning.embedding=" + settings.embedding()
                  + " does not read it")
          + "; use pruning.metric=el2n, or pruning.embedding=training#<layer> (metric ssp), or"
          + " pruning.rescore-every=0");
    }
  }

  /**
   * The run's pruning on {@code data} ({@code examples} of them), or null when it does not prune.
   * A run that does not prune but whose checkpoint path holds kept sets is refused: it would
   * resume a pruned run on all the data.
   */
  public static TrainPruning start(SparkSession spark, JobConfig config, LoadedData data, long examples,
      PrintStream out) {
    String checkpoint = config.get(JobOptions.CHECKPOINT_PATH);
    KeptSetFiles files = checkpoint.isEmpty() ? null
        : KeptSetFiles.under(checkpoint, spark.sparkContext().hadoopConfiguration());
    if (!enabled(config)) {
      if (files != null && !files.epochs().isEmpty()) {
        throw new ConfigException(PruningOptionSpecs.FRACTION_KEY, "1.0 trains on all examples, but the"
            + " checkpoint under " + checkpoint + " is of a run that trained on a pruned set (its kept sets"
            + " are in " + KeptSetFiles.DIR + "/); set that run's pruning options, or use a new checkpoint.path");
      }
      return null;
    }
    return new TrainPruning(spark, config, data, examples, files, out);
  }

  /**
   * How many examples an epoch trains on: the stored first set's size when the checkpoint has
   * one, else the size of the set chosen now (which this call then scores and stores).
   */
  public long keptCount() {
    List<Integer> stored = files == null ? List.of() : files.epochs();
    if (!stored.isEmpty()) {
      KeptSetFiles.Stored first = files.read(stored.get(0));
      checkSameChoice(first);
      return first.ids().size();
    }
    if (files != null && !CheckpointStore.open(config.get(JobOptions.CHECKPOINT_PATH),
        spark.sparkContext().hadoopConfiguration()).committedSteps().isEmpty()) {
      throw notPrunedBefore(); // found before scoring: scoring may take minutes
    }
    if (current == null) {
      choose(0, new TrainingModel(config.get(JobOptions.MODEL), config.get(JobOptions.SEED), null, 0));
    }
    return current.size();
  }

  /**
   * Where a run starts: at {@code firstEpoch}, resumed from a committed checkpoint or not. A
   * resumed run takes the newest stored set at or before that epoch; one resumed from a
   * checkpoint without kept sets is refused (that run trained on all examples).
   */
  public void startAt(int firstEpoch, boolean resumed) {
    List<Integer> stored = files == null ? List.of() : files.epochs();
    if (resumed && stored.isEmpty()) {
      throw notPrunedBefore();
    }
    Integer from = null;
    for (int epoch : stored) {
      if (epoch <= firstEpoch) {
        from = epoch;
      }
    }
    if (from != null && from != currentFrom) {
      KeptSetFiles.Stored set = files.read(from);
      checkSameChoice(set);
      current = set.ids();
      currentFrom = from;
      out.printf(Locale.ROOT, "spark-zero: pruning: resuming on the kept set chosen before epoch %d (%d of %d"
          + " examples, %s)%n", from + 1, current.size(), examples, set.uri());
    }
  }

  private ConfigException notPrunedBefore() {
    return new ConfigException(PruningOptionSpecs.FRACTION_KEY, PruningOptionSpecs.FRACTION.show(
        config.get(PruningOptionSpecs.FRACTION)) + " prunes, but the checkpoint under "
        + config.get(JobOptions.CHECKPOINT_PATH) + " is of a run that trained on all examples; set"
        + " pruning.fraction=1 to resume it, or use a new checkpoint.path");
  }

  /** Whether the driver needs the parameters at the end of {@code epoch} (to re-score with them). */
  public boolean wantsParamsAfter(int epoch, int epochs) {
    return rescoreDue(epoch + 1) && epoch + 1 < epochs;
  }

  /**
   * The set epoch {@code epoch} trains on, shared with the executors. When a re-score is due it
   * scores with {@code params}, the parameters the previous epoch ended with; null: read them
   * from the checkpoint committed at global step {@code epochStartStep} (a resume at that epoch).
   */
  public Broadcast<KeptIds> before(int epoch, float[] params, long epochStartStep) {
    if (rescoreDue(epoch) && currentFrom != epoch) {
      float[] weights = params != null ? params : Consolidation.read(config.get(JobOptions.CHECKPOINT_PATH),
          epochStartStep, spark.sparkContext().hadoopConfiguration()).params();
      choose(epoch, new TrainingModel(config.get(JobOptions.MODEL), config.get(JobOptions.SEED), weights, epoch));
    }
    if (shared == null || !shared.value().equals(current)) {
      if (shared != null) {
        shared.destroy();
      }
      shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(current);
    }
    return shared;
  }

  @Override
  public void close() {
    if (shared != null) {
      shared.destroy();
      shared = null;
    }
  }

  private boolean rescoreDue(int epoch) {
    int every = config.get(PruningOptionSpecs.RESCORE_EVERY);
    return every > 0 && epoch > 0 && epoch % every == 0;
  }

  /** Scores (or reads the scores), selects, stores and announces the set epoch {@code epoch} starts. */
  private void choose(int epoch, TrainingModel model) {
    long t0 = System.nanoTime();
    String scoresUri = config.get(PruningOptionSpecs.SCORES).trim();
    ExampleScores scores;
    String phases = "";
    if (!scoresUri.isEmpty()) {
      scores = ScoresFile.read(spark, scoresUri, settings.metric());
    } else if (model.params() != null && settings.selecting() == PruningMetric.EL2N) {
      scores = currentEl2n(model); // a re-score: the model being trained, not new probe runs
    } else {
      PruneScores all = PruneScores.of(spark, settings, data, probes, model);
      scores = all.scores();
      phases = all.secondsLine();
    }
    if (scores.size() != examples) {
      throw new PruningException(PruningOptionSpecs.SCORES_KEY, scoresUri + " scores " + scores.size()
          + " examples but data.train has " + examples + "; the scores must be of the same training data");
    }
    Selection selection = Selector.select(scores, settings.selection(), settings.minKeptExamples());
    KeptIds kept = KeptIds.of(selection.keptIds());
    if (!scoresUri.isEmpty()) {
      checkIdsAreTheData(kept, scoresUri);
    }
    current = kept;
    currentFrom = epoch;
    if (files != null) {
      files.write(epoch, description(), kept);
    }
    SelectionSummary s = selection.summary();
    out.printf(Locale.ROOT, "spark-zero: pruning before epoch %d: training on %d of %d examples (%.1f%%),"
            + " metric %s%s, keep %s (%s); %s in %.1f s%s%n", epoch + 1, kept.size(), examples,
        100.0 * kept.size() / examples, s.metric(), settings.needsEmbedding() && scoresUri.isEmpty()
            ? " on " + settings.embedding() : "", s.policyUsed().configValue(), s.policyReason(),
        scoresUri.isEmpty() ? "scored" : "scores read from " + scoresUri, (System.nanoTime() - t0) / 1e9,
        phases.isEmpty() ? "" : " (" + phases + ")");
  }

  /**
   * EL2N of the model being trained: one network's ||softmax - one-hot||, not a mean over probe
   * runs (the runs' seeds are what a re-score keeps; the model has one).
   */
  private ExampleScores currentEl2n(TrainingModel model) {
    List<long[]> rows = data.examples().map(e -> new long[] {e.id(), e.label()}).collect();
    long[][] table = rows.stream().sorted(java.util.Comparator.comparingLong(r -> r[0])).toArray(long[][]::new);
    long[] ids = java.util.Arrays.stream(table).mapToLong(r -> r[0]).toArray();
    int[] labels = java.util.Arrays.stream(table).mapToInt(r -> (int) r[1]).toArray();
    ProbeAnswers answers = ProbeAnswers.of(spark, data.examples(), model.model(), model.seed(), model.params(),
        config.get(JobOptions.EVAL_BATCH));
    return ExampleScores.of(PruningMetric.EL2N.configValue(), ids, labels, answers.el2n());
  }

  /** Every kept id is one of the training data's: scores of other data would keep nothing real. */
  private void checkIdsAreTheData(KeptIds kept, String scoresUri) {
    Broadcast<KeptIds> ids = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(kept);
    try {
      long found = data.examples().filter(e -> ids.value().contains(e.id())).count();
      if (found != kept.size()) {
        throw new PruningException(PruningOptionSpecs.SCORES_KEY, scoresUri + " keeps " + kept.size()
            + " ids of which " + (kept.size() - found) + " are not in data.train; the scores must be of"
            + " the same training data");
      }
    } finally {
      ids.destroy();
    }
  }

  /** What chose the set: each choosing option's value, and the data's size. */
  private Map<String, String> description() {
    Map<String, String> d = new TreeMap<>();
    for (OptionSpec<?> spec : CHOICE) {
      d.put(spec.key(), spec.show(config.get(spec)));
    }
    d.put(EXAMPLES, Long.toString(examples));
    return d;
  }

  /** A resume trains on the stored sets only if the options and the data would choose them. */
  private void checkSameChoice(KeptSetFiles.Stored stored) {
    Map<String, String> now = description();
    for (Map.Entry<String, String> e : now.entrySet()) {
      String then = stored.description().get(e.getKey());
      if (!e.getValue().equals(then)) {
        String what = e.getKey().equals(EXAMPLES) ? "data.train has " + e.getValue() + " examples"
            : e.getKey() + " is " + e.getValue();
        throw new ConfigException(e.getKey().equals(EXAMPLES) ? JobOptions.DATA_TRAIN.key() : e.getKey(),
            what + ", but the checkpoint under " + config.get(JobOptions.CHECKPOINT_PATH) + " trained on a"
            + " set chosen with " + then + " (" + stored.uri() + "); a resumed run must train on the same"
            + " examples: set it back, or use a new checkpoint.path");
      }
    }
  }
}
