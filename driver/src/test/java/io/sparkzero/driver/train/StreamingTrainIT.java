package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.driver.data.DataSources;
import io.sparkzero.driver.data.DataSpec;
import io.sparkzero.driver.data.BadRecordPolicy;
import io.sparkzero.driver.errors.ErrorKind;
import io.sparkzero.driver.errors.UserErrors;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.worker.data.LabeledExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data.mode stream} on {@code local[2]}: the ranks read their shares of every epoch from
 * the files (Parquet row groups here, synthetic ranges for the exact-parameter checks), and the
 * held mode's data sits in the ranks' arrays, not in Spark's memory.
 */
class StreamingTrainIT {
  private static final int STEPS_PER_EPOCH = 2048 / (2 * 32);

  @TempDir Path dir;
  private int runs;

  /** The small job streamed: 16 chunks of 128 ids, a window of 200 (not a multiple of a step). */
  private Map<String, Object> job(int stage, int epochs, Path checkpoints) {
    Map<String, Object> job = TrainingJobLocalIT.smallJob();
    job.put("output.model", dir.resolve("model-" + runs++ + ".zip").toUri().toString());
    job.put("spark.master", "local[2]");
    job.put("data.test", "");
    job.put("data.mode", "stream");
    job.put("data.chunk-examples", 128);
    job.put("data.shuffle-window", 200);
    job.put("data.read-ahead-bytes", 1 << 20);
    job.put("zero.stage", stage);
    job.put("train.epochs", epochs);
    if (checkpoints != null) {
      job.put("checkpoint.path", checkpoints.toUri().toString());
      job.put("checkpoint.every-steps", 5);
      job.put("checkpoint.keep", 3);
    }
    return job;
  }

  /**
   * The order of a streamed epoch is a function of the job: a run that resumes mid-epoch (the
   * ranks read their shares again and skip to the checkpoint's step) ends with the parameters of
   * the run that went straight through, bit for bit.
   */
  @Test
  void aStreamedRunResumedMidEpochEndsWithTheStraightRunsParameters() throws Exception {
    float[] expected = Jobs.run(job(1, 2, null), new ByteArrayOutputStream()).finalParams();
    Path checkpoints = dir.resolve("ckpt");
    Jobs.run(job(1, 1, checkpoints), new ByteArrayOutputStream());
    CheckpointStore store = CheckpointResumeIT.store(checkpoints);
    CheckpointResumeIT.deleteTree(Path.of(java.net.URI.create(store.stepUri(STEPS_PER_EPOCH))));
    assertThat(store.latestCommitted()).contains(30L);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport resumed = Jobs.run(job(1, 2, checkpoints), log);
    assertThat(log.toString()).contains("global step 30: epoch 1, step 30");
    assertThat(resumed.epochs().get(0).ranks().get(0).steps()).isEqualTo(STEPS_PER_EPOCH - 30);
    assertThat(resumed.finalParams()).containsExactly(expected);
  }

  /** Streaming changes where batches come from, not the step: stage 3 ends as stage 0 does. */
  @Test
  void everyStageEndsWithStage0sParametersWhenStreaming() throws Exception {
    float[] stage0 = Jobs.run(job(0, 2, null), new ByteArrayOutputStream()).finalParams();
    float[] stage3 = Jobs.run(job(3, 2, null), new ByteArrayOutputStream()).finalParams();
    assertThat(stage3).containsExactly(stage0);
  }

  /**
   * Parquet in many row groups: the driver lists them from the footers, the ranks stream them,
   * the model learns, and the console says what streamed.
   */
  @Test
  void aParquetDataSetStreamedByRowGroupTrainsAModel() throws Exception {
    Map<String, Object> job = job(0, 3, null);
    job.put("data.train", "parquet:" + dir.resolve("train.parquet").toUri());
    job.put("data.test", "synthetic:n=512,features=784,classes=10,seed=11,start=2048");
    job.remove("output.model");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport report = withParquet(job, -1, config -> TrainingJob.checked(config,
        new PrintStream(log, true)));
    assertThat(log.toString()).containsPattern("streaming 2048 examples in (\\d{2,}) chunks")
        .contains("epoch 1 stream: slowest reader").contains("epoch 3 stream: slowest reader");
    assertThat(report.epochs()).hasSize(3);
    for (EpochSummary epoch : report.epochs()) {
      assertThat(epoch.ranks()).extracting(r -> r.paramHash()).containsOnly(epoch.paramHash());
    }
    assertThat(report.evaluation().accuracy()).isGreaterThan(0.8);
    assertThat(report.skippedRecords()).isZero();
  }

  /**
   * A bad row met while streaming: under {@code fail} the job stops with the data error naming
   * the file and the row (a user error, not restarted); under {@code skip} it trains on and counts
   * the row once.
   */
  @Test
  void aBadRowMetWhileStreamingFailsTheJobOrIsSkippedAndCounted() throws Exception {
    Map<String, Object> job = job(0, 1, null);
    job.put("data.train", "parquet:" + dir.resolve("train.parquet").toUri());
    job.put("checkpoint.path", dir.resolve("bad-ckpt").toUri().toString());
    job.put("train.max-restarts", 2);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    assertThatThrownBy(() -> withParquet(job, 77, config -> TrainingJob.checked(config,
        new PrintStream(log, true))))
        .satisfies(e -> {
          assertThat(UserErrors.classify(e).kind()).isEqualTo(ErrorKind.DATA);
          assertThat(UserErrors.classify(e).message()).contains("train.parquet").contains("77")
              .contains("NaN");
        });
    assertThat(log.toString()).contains("not restarting").doesNotContain("restart 1 of");

    job.put("data.on-bad-record", "skip");
    job.put("checkpoint.path", dir.resolve("skip-ckpt").toUri().toString());
    job.put("train.epochs", 2);
    TrainingReport skipped = withParquet(job, 77, config -> TrainingJob.checked(config,
        new PrintStream(new ByteArrayOutputStream(), true)));
    assertThat(skipped.epochs()).hasSize(2);
    assertThat(skipped.skippedRecords()).isEqualTo(1);
  }

  /**
   * Data pruning before a streamed epoch: the ranks read every chunk and train only on the kept
   * ids, the epoch's steps counted from the kept set.
   */
  @Test
  void aPrunedStreamedRunTrainsTheKeptSetsSteps() throws Exception {
    Map<String, Object> job = job(0, 2, null);
    job.put("pruning.fraction", 0.5);
    job.put("pruning.metric", "random");
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport report = Jobs.run(job, log);
    assertThat(log.toString()).contains("training on 1024 of 2048 examples");
    assertThat(report.epochs()).hasSize(2).allSatisfy(e -> {
      assertThat(e.ranks().get(0).steps()).isEqualTo(1024 / (2 * 32));
      assertThat(e.meanLoss()).isFinite();
    });
  }

  /** A gzipped IDX file cannot be entered mid-stream: refused before training, saying what to do. */
  @Test
  void aGzippedIdxFileIsRefusedForStreamingWithWhatToDo() {
    Map<String, Object> job = job(0, 1, null);
    job.put("data.train", "idx:/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
    assertThatThrownBy(() -> Jobs.run(job, new ByteArrayOutputStream()))
        .satisfies(e -> assertThat(UserErrors.classify(e).message())
            .contains("train-images-idx3-ubyte.gz").contains("spark-zero import"));
  }

  /**
   * Held data ({@code data.mode memory}) is in memory once, in the ranks' arrays: Spark keeps its
   * copy of the partitions on disk only.
   */
  @Test
  void heldDataIsKeptByTheRanksNotInSparksMemory() throws Exception {
    Map<String, Object> job = job(0, 2, null);
    job.put("data.mode", "memory");
    JobConfig config = JobConfig.of(job);
    ConcurrentLinkedQueue<SparkListenerBlockUpdated> blocks = new ConcurrentLinkedQueue<>();
    TrainingReport report;
    try (SparkSession spark = SparkSessions.create(config)) {
      spark.sparkContext().addSparkListener(new SparkListener() {
        @Override
        public void onBlockUpdated(SparkListenerBlockUpdated update) {
          blocks.add(update);
        }
      });
      report = TrainingJob.checked(config, new PrintStream(new ByteArrayOutputStream(), true))
          .run(spark);
    }
    assertThat(report.epochs()).hasSize(2);
    List<SparkListenerBlockUpdated> rddBlocks = blocks.stream()
        .filter(b -> b.blockUpdatedInfo().blockId().isRDD()).toList();
    assertThat(rddBlocks).as("the shards are cached").isNotEmpty();
    for (SparkListenerBlockUpdated b : rddBlocks) {
      assertThat(b.blockUpdatedInfo().memSize()).as("%s in memory", b.blockUpdatedInfo().blockId())
          .isZero();
    }
    assertThat(rddBlocks).anySatisfy(b -> assertThat(b.blockUpdatedInfo().diskSize()).isPositive());
  }

  /** Makes the job on its session after writing the small job's training data as Parquet. */
  @FunctionalInterface
  private interface JobMaker {
    TrainingJob make(JobConfig config);
  }

  /**
   * Writes the small job's 2048 synthetic training examples as Parquet ({@code array<float>}
   * features, row groups of about 64 KiB), the example with id {@code nanId} given a NaN feature
   * (-1: none), then runs the job on the same session.
   */
  private TrainingReport withParquet(Map<String, Object> job, long nanId, JobMaker maker)
      throws Exception {
    JobConfig config = JobConfig.of(job);
    try (SparkSession spark = SparkSessions.create(config)) {
      Path out = dir.resolve("train.parquet");
      if (Files.exists(out)) {
        CheckpointResumeIT.deleteTree(out);
      }
      DataSpec synthetic = JobData.spec(JobConfig.of(Map.of("data.train",
          "synthetic:n=2048,features=784,classes=10,seed=11")), JobOptions.DATA_TRAIN);
      List<LabeledExample> examples = DataSources.load(spark, synthetic, BadRecordPolicy.FAIL, 2)
          .examples().collect();
      List<Row> rows = new ArrayList<>();
      for (LabeledExample e : examples) {
        List<Float> features = new ArrayList<>(e.features().length);
        for (float f : e.features()) {
          features.add(e.id() == nanId && features.isEmpty() ? Float.NaN : f);
        }
        rows.add(RowFactory.create(e.id(), e.label(), features));
      }
      StructType schema = new StructType().add("id", DataTypes.LongType)
          .add("label", DataTypes.IntegerType)
          .add("features", DataTypes.createArrayType(DataTypes.FloatType));
      spark.createDataFrame(rows, schema).repartition(2).write()
          .option("parquet.block.size", 64 << 10).parquet(out.toString());
      return maker.make(config).run(spark);
    }
  }
}
