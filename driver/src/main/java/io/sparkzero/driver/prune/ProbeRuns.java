package io.sparkzero.driver.prune;

import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.driver.spark.SparkJobs;
import io.sparkzero.driver.train.EpochListener;
import io.sparkzero.driver.train.TrainingJob;
import io.sparkzero.pruning.supervised.ProbeScores;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The short training runs behind el2n and forgetting: {@code pruning.probe-seeds} runs of the
 * job's own model on its training data, each {@code pruning.probe-epochs} epochs, run {@code i}
 * with {@code train.seed = pruning.seed + i}. They train on the engine as {@code train} does
 * ({@link TrainingJob}: the job's ZeRO stage, batch, optimizer, progress console), without its
 * test data, checkpoints, model file or metrics files, which belong to the job's real training.
 * After every probe epoch the driver gets the parameters ({@link EpochListener}) and a forward
 * pass over the training data records each example's answer ({@link ProbeAnswers}).
 */
final class ProbeRuns {
  /** No probe runs: the job's metrics need none. */
  static final ProbeRuns NONE = new ProbeRuns(List.of(), "", 1, new PruneSettings.Probes(1, 1, 0), System.out);

  private final List<TrainingJob> runs;
  private final String model;
  private final int batchSize;
  private final PruneSettings.Probes probes;
  private final PrintStream out;

  private ProbeRuns(List<TrainingJob> runs, String model, int batchSize, PruneSettings.Probes probes,
      PrintStream out) {
    this.runs = runs;
    this.model = model;
    this.batchSize = batchSize;
    this.probes = probes;
    this.out = out;
  }

  /** The runs, each validated and memory-checked as {@code train} checks a job, before Spark starts. */
  static ProbeRuns checked(JobConfig config, PruneSettings.Probes probes, Console console) {
    List<TrainingJob> runs = new ArrayList<>();
    for (int i = 0; i < probes.seeds(); i++) {
      runs.add(TrainingJob.checked(probeConfig(config, probes, i), console));
    }
    return new ProbeRuns(runs, config.get(JobOptions.MODEL), config.get(JobOptions.EVAL_BATCH), probes,
        console.out());
  }

  /** The job's configuration as probe run {@code i} trains with it. */
  static JobConfig probeConfig(JobConfig config, PruneSettings.Probes probes, int i) {
    return config.with(JobOptions.EPOCHS, probes.epochs())
        .with(JobOptions.SEED, probes.firstSeed() + i)
        .with(JobOptions.DATA_TEST, "")
        .with(JobOptions.CHECKPOINT_PATH, "")
        .with(JobOptions.OUTPUT_MODEL, "")
        .with(JobOptions.OUTPUT_METRICS, "")
        .with(JobOptions.OUTPUT_REPORT, "")
        .with(PruningOptionSpecs.FRACTION, 1.0); // a probe trains on all the data it scores
  }

  /** Trains every run on {@code data} and records its answers on the examples {@code ids}, {@code labels}. */
  ProbeScores run(SparkSession spark, LoadedData data, long[] ids, int[] labels) {
    ProbeScores scores = new ProbeScores(ids, labels, probes.seeds(), probes.epochs());
    for (int i = 0; i < runs.size(); i++) {
      int seed = i;
      long trainSeed = probes.firstSeed() + i;
      out.printf("spark-zero: probe run %d/%d (train.seed %d, %d epochs) for el2n and forgetting%n", i + 1,
          runs.size(), trainSeed, probes.epochs());
      runs.get(i).run(spark, data, (epoch, params) -> {
        ProbeAnswers answers;
        try (SparkJobs.Description d = SparkJobs.describe(spark.sparkContext(), "probe run " + (seed + 1)
            + ", epoch " + (epoch + 1) + ": answers on the training data")) {
          answers = ProbeAnswers.of(spark, data.examples(), model, trainSeed, params, batchSize);
        }
        if (!Arrays.equals(answers.ids(), ids)) {
          throw new IllegalStateException("probe run " + (seed + 1) + ", epoch " + (epoch + 1) + " answered for "
              + answers.ids().length + " examples, not the " + ids.length + " scored; the training data changed");
        }
        scores.record(seed, epoch, answers.correct(), answers.el2n());
      });
    }
    return scores;
  }
}
