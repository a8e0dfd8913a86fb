package io.sparkzero.driver.options;

import io.sparkzero.sharding.collective.Wire;
import io.sparkzero.sharding.options.OptionSpec;
import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.sharding.plan.OffloadPlan.Tier;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.adv.AdvMode;
import io.sparkzero.worker.data.Objective;
import io.sparkzero.worker.optim.OptimizerKind;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.TensorTable;
import io.sparkzero.worker.train.ZeroTrainer;
import java.util.List;

/**
 * Every option of a training job, in one place: key, type, default, allowed values and a one-line
 * description. The collectives declare their own options ({@code collective.*}) in the sharding
 * module's {@code CollectiveOptionSpecs}, with the same type. The README's option table lists both
 * and is checked against them by a test.
 */
public final class JobOptions {
  private JobOptions() {}

  public static final OptionSpec<String> JOB_NAME = OptionSpec.string("job.name", "spark-zero",
      "any name", "Name shown in Spark's UI and logs.");

  public static final OptionSpec<String> MODEL = OptionSpec.string("model", "fmnist-cnn",
      "fmnist-cnn | wide-mlp | wide-mlp:<width>[x<layers>] | mlp | resnet | lk-convnet | fmnist-encoder | file:<DL4J model file URI>",
      "Network to train: a built-in architecture or a DL4J model file.");

  public static final OptionSpec<String> DATA_TRAIN = OptionSpec.string("data.train",
      "idx:/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
      "idx:<uri> | parquet:<uri> | synthetic:n=..,features=..,classes=..,seed=..",
      "Training data; any Hadoop FileSystem URI (file://, hdfs://).");

  public static final OptionSpec<String> DATA_TEST = OptionSpec.optionalString("data.test",
      "same forms as data.train; empty: no evaluation",
      "Test data evaluated after training (distributed over the executors).");

  public static final OptionSpec<String> DATA_ON_BAD_RECORD = OptionSpec.oneOf("data.on-bad-record",
      "fail", List.of("fail", "skip"),
      "A truncated, corrupt or invalid record fails the job, or is skipped, counted and reported.");

  public static final OptionSpec<Integer> DATA_LIMIT = OptionSpec.intRange("data.limit", 0, 0,
      Integer.MAX_VALUE, "Train only on examples with id below N, the first N of IDX and synthetic data (0: all).");

  public static final OptionSpec<String> DATA_MODE = OptionSpec.oneOf("data.mode", "memory",
      List.of("memory", "stream"), "memory: each rank reads its partition once and holds it for"
          + " all epochs; stream: each rank reads its share of every epoch from the files (Parquet"
          + " row groups, plain IDX byte ranges), in a global order drawn from (seed, epoch).");

  public static final OptionSpec<Long> DATA_READ_AHEAD_BYTES = OptionSpec.longRange(
      "data.read-ahead-bytes", 64L << 20, 0, 1L << 40, "Streaming: decoded examples a rank may"
          + " hold ready ahead of its step, in bytes (at least one shuffle window is).");

  public static final OptionSpec<Integer> DATA_SHUFFLE_WINDOW = OptionSpec.intRange(
      "data.shuffle-window", 8192, 1, 1 << 24, "Streaming: examples a rank reads into one block"
          + " and trains on in an order drawn from (seed, epoch, rank, block).");

  public static final OptionSpec<Integer> DATA_CHUNK_EXAMPLES = OptionSpec.intRange(
      "data.chunk-examples", 512, 1, 1 << 24, "Streaming: examples per chunk of IDX and synthetic"
          + " data, the unit dealt to ranks (Parquet is dealt by row group).");

  public static final OptionSpec<String> SPARK_MASTER = OptionSpec.string("spark.master", "local[2]",
      "a Spark master URL", "Spark master when not launched by spark-submit (which sets its own).");

  public static final OptionSpec<Integer> WORLD_SIZE = OptionSpec.intRange("train.world-size", 2, 1,
      4096, "Number of ranks (one barrier task each, one data partition each).");

  public static final OptionSpec<Integer> BATCH_SIZE = OptionSpec.intRange("train.batch-size", 128,
      1, 1 << 20, "Examples per rank per micro-batch; the global batch is world-size x this x"
          + " train.accumulation-steps.");

  public static final OptionSpec<Integer> ACCUMULATION = OptionSpec.intRange(
      "train.accumulation-steps", 1, 1, 1 << 20, "Micro-batches of train.batch-size per rank whose"
          + " gradients are summed into one step.");

  public static final OptionSpec<Integer> GLOBAL_BATCH = OptionSpec.intRange("train.global-batch", 0,
      0, Integer.MAX_VALUE, "Examples per step over all ranks; sets train.accumulation-steps to"
          + " this / (world-size x batch-size), which must divide it; 0: world-size x batch-size x"
          + " accumulation-steps.");

  public static final OptionSpec<Integer> MAX_SKIPPED_STEPS = OptionSpec.intRange(
      "train.max-skipped-steps", ZeroTrainer.DEFAULT_MAX_SKIPPED_STEPS, 0, 1_000_000, "Steps in a"
          + " row skipped for an inf or NaN gradient (on any rank) before the job stops.");

  public static final OptionSpec<String> PRECISION = OptionSpec.oneOf("train.precision", "fp32",
      List.of("fp32", "fp16", "bf16"), "fp16: DL4J computes in 16-bit floats, the optimizer keeps"
          + " fp32 master parameters, with dynamic loss scaling (every zero.stage); bf16 is"
          + " refused: DL4J's layers take DOUBLE, FLOAT or HALF only.");

  public static final OptionSpec<Double> LOSS_SCALE = OptionSpec.doubleRange("train.loss-scale",
      65536, 0, 1e30, "fp16: the initial loss scale; halved when a step's gradients overflow,"
          + " doubled after train.loss-scale-window clean steps.");

  public static final OptionSpec<Integer> LOSS_SCALE_WINDOW = OptionSpec.intRange(
      "train.loss-scale-window", 1000, 1, Integer.MAX_VALUE, "fp16: clean steps in a row after"
          + " which the loss scale doubles.");

  public static final OptionSpec<Integer> EPOCHS = OptionSpec.intRange("train.epochs", 1, 1, 100_000,
      "Passes over the training data.");

  public static final OptionSpec<Long> SEED = OptionSpec.longRange("train.seed", 1L, 0L,
      Long.MAX_VALUE, "Seed of parameter initialisation and data order.");

  public static final OptionSpec<Objective.Kind> OBJECTIVE = OptionSpec.typed("train.objective",
      Objective.Kind.class, Objective.Kind.CLASSIFY, "classify | reconstruct", Objective.Kind::named,
      Objective.Kind::optionName, "classify: predict the label; reconstruct: rebuild each image from"
          + " a copy with 4x4 patches zeroed (no labels used), to pretrain an encoder such as"
          + " fmnist-encoder for pruning.embedding.");

  public static final OptionSpec<Double> MASK_RATIO = OptionSpec.typed("train.mask-ratio",
      Double.class, 0.5, "a number in (0, 1)", JobOptions::openUnitInterval, String::valueOf,
      "reconstruct: the probability that a patch is zeroed, drawn anew per epoch from"
          + " (train.seed, epoch, example id).");

  public static final OptionSpec<Integer> ND4J_THREADS = OptionSpec.intRange("train.nd4j-threads", 1,
      1, 1024, "ND4J (OpenMP) threads per rank; set to the cores each rank has.");

  public static final OptionSpec<String> RENDEZVOUS = OptionSpec.oneOf("train.rendezvous", "driver",
      List.of("driver", "spark"), "Where each stage's ranks meet: a TCP endpoint on the driver (an"
          + " ephemeral port the executors must reach), or Spark's barrier (up to 1 s more per epoch).");

  public static final OptionSpec<OptimizerKind> OPTIMIZER = OptionSpec.typed("optimizer.name",
      OptimizerKind.class, OptimizerKind.ADAM, "one of " + String.join(" | ", OptimizerKind.names()),
      OptimizerKind::named, OptimizerKind::optionName,
      "sgd (with momentum), adam, lars (layer-wise trust ratio with momentum)"
          + " or lamb (layer-wise trust ratio over Adam).");

  public static final OptionSpec<Double> LEARNING_RATE = OptionSpec.doubleRange("optimizer.lr",
      1e-3, 0, 10, "Learning rate; with lr.scale, the rate at global batch lr.base-batch.");

  public static final OptionSpec<Double> MOMENTUM = OptionSpec.doubleHalfOpen("optimizer.momentum",
      0.9, 0, 1, "SGD and LARS momentum.");

  public static final OptionSpec<Double> BETA1 = OptionSpec.doubleHalfOpen("optimizer.beta1", 0.9, 0,
      1, "Adam and LAMB first-moment decay.");

  public static final OptionSpec<Double> BETA2 = OptionSpec.doubleHalfOpen("optimizer.beta2", 0.999,
      0, 1, "Adam and LAMB second-moment decay.");

  public static final OptionSpec<Double> EPSILON = OptionSpec.optionalDouble("optimizer.epsilon", 0,
      1, "the optimizer's: adam 1e-8, lamb 1e-6, lars 0",
      "Adam and LAMB denominator term; LARS trust-ratio denominator term.");

  public static final OptionSpec<Double> WEIGHT_DECAY = OptionSpec.optionalDouble(
      "optimizer.weight-decay", 0, 1, "the optimizer's: lars 1e-4, lamb 0.01, sgd and adam 0 (they"
          + " take no other)", "LARS and LAMB weight decay, not applied to excluded tensors.");

  public static final OptionSpec<Double> TRUST_COEFFICIENT = OptionSpec.doubleRange(
      "optimizer.trust-coefficient", OptimizerOptions.DEFAULT_TRUST, 0, 1,
      "LARS trust coefficient: the trust ratio is this x |w| / (|g| + weight-decay x |w| + epsilon).");

  public static final OptionSpec<String> EXCLUDE = OptionSpec.string("optimizer.exclude",
      TensorTable.DEFAULT_EXCLUDE, "a Java regular expression over tensor names <layer>_<key>",
      "LARS and LAMB: tensors whose whole name matches get no trust ratio and no weight decay"
          + " (default: biases and batch-norm gamma and beta); none: every tensor gets both.");

  public static final OptionSpec<Double> CLIP_NORM = OptionSpec.doubleClosed("optimizer.clip-norm",
      0, 0, 1e12, "Clip the averaged gradient to this global L2 norm (over all ranks' shards); 0:"
          + " no clipping.");

  public static final OptionSpec<String> LR_SCALE = OptionSpec.oneOf("lr.scale", "none",
      List.of("none", "linear", "sqrt"), "Scale optimizer.lr by the global batch over lr.base-batch:"
          + " linear (SGD, LARS) or square root (Adam, LAMB).");

  public static final OptionSpec<Integer> LR_BASE_BATCH = OptionSpec.intRange("lr.base-batch", 256,
      1, Integer.MAX_VALUE, "The global batch at which optimizer.lr was tuned.");

  public static final OptionSpec<Double> LR_WARMUP_EPOCHS = OptionSpec.doubleClosed(
      "lr.warmup-epochs", 0, 0, 100_000, "Linear warm-up from 0 to the scaled rate over this many"
          + " epochs (rounded to whole steps).");

  public static final OptionSpec<Integer> LR_WARMUP_STEPS = OptionSpec.intRange("lr.warmup-steps", 0,
      0, Integer.MAX_VALUE, "Linear warm-up over this many global steps (instead of"
          + " lr.warmup-epochs).");

  public static final OptionSpec<String> LR_DECAY = OptionSpec.oneOf("lr.decay", "none",
      List.of("none", "poly", "cosine"), "After warm-up: keep the rate, or decay it to 0 at the last"
          + " step, polynomially (power lr.decay-power) or along a cosine.");

  public static final OptionSpec<Double> LR_DECAY_POWER = OptionSpec.doubleRange("lr.decay-power",
      2, 0, 100, "Power of the polynomial decay.");

  public static final OptionSpec<ZeroStage> ZERO_STAGE = OptionSpec.typed("zero.stage",
      ZeroStage.class, ZeroStage.DATA_PARALLEL, "an integer in [0, 3]",
      text -> ZeroStage.of(Integer.parseInt(text)), stage -> String.valueOf(stage.number()),
      "ZeRO stage: 0 replicated; 1 optimizer state sharded; 2 and gradients; 3 and parameters.");

  public static final OptionSpec<Integer> ZERO_ALIGN = OptionSpec.intRange("zero.align-elements", 16,
      1, 1 << 20, "Shard boundaries fall on multiples of this many parameters.");

  public static final OptionSpec<Long> ZERO_RANK_MEMORY = OptionSpec.longRange("zero.rank-memory-bytes",
      0L, 0L, Long.MAX_VALUE, "Memory one rank may use for model state; 0: derived from the executor's"
          + " Spark memory settings. A plan that does not fit stops the job before it starts.");

  public static final OptionSpec<Integer> ZERO_PREFETCH = OptionSpec.intRange("zero.prefetch-layers", 1,
      0, 16, "Stage 3: layers whose parameter gather runs ahead of the layer computing.");

  public static final OptionSpec<Boolean> ZERO_OVERLAP = OptionSpec.bool("zero.overlap", true,
      "Stages 0 and 1: reduce each gradient bucket while the backward pass goes on (DDP-style);"
          + " false reduces the whole gradient after it. Same result either way. Models that cannot"
          + " run one layer at a time (frozen layers) reduce after the backward.");

  public static final OptionSpec<Long> ZERO_BUCKET_BYTES = OptionSpec.longWhere("zero.bucket-bytes",
      4L << 20, "4096..1073741824, a multiple of 4",
      bytes -> bytes >= 4096 && bytes <= (1L << 30) && bytes % Float.BYTES == 0,
      "Stages 0 and 1 with zero.overlap: most gradient bytes reduced as one bucket; a bucket is whole"
          + " consecutive layers, or a piece of a larger layer.");

  public static final OptionSpec<Wire> ZERO_WIRE = OptionSpec.typed("zero.wire", Wire.class,
      Wire.FP32, "one of fp32, bf16, fp16", Wire::named, Wire::configValue,
      "What gradient reductions send between ranks: fp32, or 16-bit payloads (half the bytes) that"
          + " every rank widens and adds in fp32. Stage 3's parameter gathers, and a 16-bit"
          + " network's master gathers at stage 1, send it too; a 16-bit network's stage 2-3"
          + " gathers move its 16-bit values whatever the wire; fp32 masters are never rounded.");

  public static final OptionSpec<Tier> OFFLOAD_OPTIMIZER = tier("offload.optimizer", "Where a rank's optimizer state lives: the Java heap,"
          + " native host memory off the heap, or a file under offload.nvme.path; the optimizer"
          + " step streams it through staging buffers.");

  public static final OptionSpec<Tier> OFFLOAD_PARAMS = tier("offload.params", "zero.stage 3 only: where a rank's parameter"
          + " shard lives between steps (none: native memory); each layer's part is read ahead of"
          + " its gather, and the optimizer step streams it with the state.");

  public static final OptionSpec<String> OFFLOAD_NVME_PATH = OptionSpec.optionalString(
      "offload.nvme.path", "a local directory on every executor host",
      "Where nvme tiers put each rank's files (owner-only, removed at the end of the job).");

  public static final OptionSpec<Integer> OFFLOAD_BUFFER_COUNT = OptionSpec.intRange(
      "offload.buffer-count", OffloadPlan.DEFAULT_BUFFER_COUNT, 3, 64, "Staging buffers per offloaded store: one being updated,"
          + " one being written back, the rest read ahead.");

  public static final OptionSpec<Integer> OFFLOAD_BUFFER_BYTES = OptionSpec.intRange(
      "offload.buffer-bytes", OffloadPlan.DEFAULT_BUFFER_BYTES, 64 << 10, 1 << 30, "Bytes of one staging buffer: one block"
          + " of every state array, the unit of each read and write.");

  public static final OptionSpec<String> CHECKPOINT_PATH = OptionSpec.optionalString(
      "checkpoint.path", "a Hadoop FileSystem URI (hdfs://, file://); empty: no checkpoints",
      "Where each rank writes its shard of every checkpoint and rank 0 commits it with a"
          + " manifest; a job started on a path with a committed checkpoint resumes from it.");

  public static final OptionSpec<Integer> CHECKPOINT_EVERY_STEPS = OptionSpec.intRange(
      "checkpoint.every-steps", 0, 0, 1 << 30, "Also save every this many global steps within"
          + " epochs (written while training goes on); 0: at the end of each epoch only.");

  public static final OptionSpec<Integer> CHECKPOINT_KEEP = OptionSpec.intRange("checkpoint.keep",
      2, 1, 10_000, "Committed checkpoints kept; older ones are deleted once a newer one is"
          + " committed.");

  public static final OptionSpec<String> CHECKPOINT_ON_CORRUPT = OptionSpec.oneOf(
      "checkpoint.on-corrupt", "fail", List.of("fail", "previous"), "When the newest committed"
          + " checkpoint fails its integrity checks: stop the job, or resume from the one"
          + " before it.");

  public static final OptionSpec<Integer> CHECKPOINT_FILE_MODE = OptionSpec.typed("checkpoint.file-mode",
      Integer.class, 0600, "an octal mode from 600 to 777 that gives the owner read and write", JobOptions::fileMode,
      Integer::toOctalString, "POSIX mode of the checkpoint files (shards, manifests, the lease); directories"
          + " get it with search added where it grants read. 600: the job's user only; 640: its group may"
          + " read too.");

  public static final OptionSpec<Integer> CHECKPOINT_LEASE_S = OptionSpec.intRange("checkpoint.lease-s", 60, 5,
      86_400, "A job holds its checkpoint.path through a lease (lease.json) it renews three times in this"
          + " many seconds; a second job on the path is refused while the lease lives.");

  public static final OptionSpec<Boolean> CHECKPOINT_TAKE_OVER = OptionSpec.bool("checkpoint.take-over", false,
      "Take over checkpoint.path when another job's lease on it has expired (that job is dead);"
          + " a live lease is never taken over.");

  public static final OptionSpec<Boolean> CHECKPOINT_ALLOW_OPTIMIZER_CHANGE = OptionSpec.bool(
      "checkpoint.allow-optimizer-change", false, "Resume from a checkpoint written with another"
          + " optimizer.name: its parameters are restored and the optimizer state starts fresh"
          + " (otherwise such a resume is refused).");

  public static final OptionSpec<Integer> MAX_RESTARTS = OptionSpec.intRange("train.max-restarts",
      3, 0, 1000, "With checkpoint.path: how many times a failed epoch (a lost executor, a"
          + " failed rank) is relaunched from the last committed checkpoint before the job stops.");

  public static final OptionSpec<Integer> EVAL_BATCH = OptionSpec.intRange("eval.batch-size", 1000,
      1, 1 << 20, "Examples per forward pass during evaluation.");

  public static final OptionSpec<Boolean> EVAL_EVERY_EPOCH = OptionSpec.bool("eval.every-epoch", false,
      "Evaluate on the test data after every epoch, not only at the end.");

  public static final OptionSpec<Integer> EVAL_ROBUST_STEPS = OptionSpec.intRange("eval.robust-steps", 0, 0,
      1000, "With data.test: after the last epoch, also the test accuracy under an untargeted PGD attack of this"
          + " many steps (0: not measured): L-infinity bound eval.robust-epsilon, step 2.5 x epsilon / steps,"
          + " random start, inputs clipped to [adv.input-min, adv.input-max].");

  public static final OptionSpec<Double> EVAL_ROBUST_EPSILON = OptionSpec.typed("eval.robust-epsilon",
      Double.class, 8.0 / 255, "a number > 0", JobOptions::positive, String::valueOf,
      "The robust evaluation's L-infinity bound in input units (8/255 of [0, 1]).");

  public static final OptionSpec<String> OUTPUT_MODEL = OptionSpec.optionalString("output.model",
      "a Hadoop FileSystem URI; empty: not written",
      "Where to write the trained network as a DL4J model file.");

  public static final OptionSpec<String> OUTPUT_METRICS = OptionSpec.optionalString("output.metrics",
      "a Hadoop FileSystem URI; empty: not written",
      "Where to write the run's metrics as JSON lines while it runs: every step, epoch,"
          + " evaluation and recovery (docs/METRICS.md).");

  public static final OptionSpec<String> OUTPUT_REPORT = OptionSpec.optionalString("output.report",
      "a Hadoop FileSystem URI; empty: not written",
      "Where to write the training report, one self-contained HTML page, rewritten after each"
          + " epoch.");

  public static final OptionSpec<Integer> PROGRESS_INTERVAL_S = OptionSpec.intRange(
      "progress.interval-s", 30, 0, 86_400, "Without a terminal: seconds between progress lines"
          + " (0: none). A terminal gets a live line, updated at each executor heartbeat"
          + " (spark.executor.heartbeatInterval, 2 s unless set).");

  /** An offload tier option: none (default), host or nvme. */
  private static OptionSpec<Tier> tier(String key, String doc) {
    return OptionSpec.typed(key, Tier.class, Tier.NONE, "one of " + String.join(" | ", Tier.names()),
        Tier::of, Tier::optionName, doc);
  }

  /** A number strictly between 0 and 1, or null (not allowed). */
  private static Double positive(String text) {
    double v = Double.parseDouble(text.trim());
    return v > 0 && Double.isFinite(v) ? v : null;
  }

  private static Double nonNegative(String text) {
    double v = Double.parseDouble(text.trim());
    return v >= 0 && Double.isFinite(v) ? v : null;
  }

  /** An octal mode that gives the owner read and write, or null (not allowed). */
  private static Integer fileMode(String text) {
    int mode = Integer.parseInt(text.trim(), 8);
    return (mode & ~0777) == 0 && (mode & 0600) == 0600 ? mode : null;
  }

  private static Double finite(String text) {
    double v = Double.parseDouble(text.trim());
    return Double.isFinite(v) ? v : null;
  }

  private static Double openUnitInterval(String text) {
    double v = Double.parseDouble(text.trim());
    return v > 0 && v < 1 ? v : null;
  }

  public static final OptionSpec<AdvMode> ADV_MODE = OptionSpec.typed("adv.mode", AdvMode.class, AdvMode.NONE,
      "none | conadv | disadv", AdvMode::named, AdvMode::optionName,
      "Adversarial steps: each step also trains on a PGD-perturbed copy of its batch. conadv makes it with the"
          + " weights of adv.tau steps before, on a second thread, while the step trains; disadv, the"
          + " sequential baseline, with the current weights before the step.");

  public static final OptionSpec<Integer> ADV_TAU = OptionSpec.intRange("adv.tau", 1, 0, 1000,
      "conadv: how many steps stale the attack's weights are (0 attacks with the current weights, as disadv).");

  public static final OptionSpec<Integer> ADV_STEPS = OptionSpec.intRange("adv.steps", 1, 1, 1000,
      "The attack's PGD steps (PGD-k's k).");

  public static final OptionSpec<Double> ADV_EPSILON = OptionSpec.typed("adv.epsilon", Double.class, 8.0 / 255,
      "a number > 0", JobOptions::positive, String::valueOf, "The attack's L-infinity bound in input units (8/255 of [0, 1]); at most"
          + " adv.input-max - adv.input-min.");

  public static final OptionSpec<Double> ADV_STEP_SIZE = OptionSpec.typed("adv.step-size", Double.class, 0.0,
      "a number >= 0", JobOptions::nonNegative, String::valueOf, "Each PGD step's move per feature; 0: max(epsilon, epsilon / adv.steps), the"
          + " ConAdv authors' choice.");

  public static final OptionSpec<Double> ADV_RANDOM_START = OptionSpec.doubleClosed("adv.random-start", 0.8, 0,
      1, "The probability, per batch, that the attack starts from uniform noise in [-epsilon, epsilon] around"
          + " the clean input rather than from it.");

  public static final OptionSpec<Boolean> ADV_TARGETED = OptionSpec.bool("adv.targeted", true,
      "true: step each example toward a random wrong label (the authors' attack); false: away from its own.");

  public static final OptionSpec<Double> ADV_WEIGHT = OptionSpec.typed("adv.weight", Double.class, 1.0,
      "a number > 0", JobOptions::positive, String::valueOf, "The adversarial examples' weight in the loss,"
          + " against the clean ones' 1: a step minimises (sum of clean losses + weight x sum of adversarial"
          + " losses) / (2 x batch).");

  public static final OptionSpec<Boolean> ADV_SEPARATE_BN = OptionSpec.bool("adv.separate-bn", false,
      "true: each micro-batch trains its clean and its adversarial examples in two passes, each normalised by its"
          + " own batch statistics, and only the clean pass moves the running statistics evaluation uses"
          + " (AdvProp's auxiliary batch norm); false: one pass over both.");

  public static final OptionSpec<Double> ADV_INPUT_MIN = OptionSpec.typed("adv.input-min", Double.class, 0.0,
      "a finite number", JobOptions::finite, String::valueOf, "The smallest valid input value; perturbed inputs are clipped to"
          + " [adv.input-min, adv.input-max] (IDX images are scaled to [0, 1]).");

  public static final OptionSpec<Double> ADV_INPUT_MAX = OptionSpec.typed("adv.input-max", Double.class, 1.0,
      "a finite number", JobOptions::finite, String::valueOf, "The largest valid input value.");

  /** All options, in the order of the README's table. */
  public static final List<OptionSpec<?>> ALL = List.of(JOB_NAME, MODEL, DATA_TRAIN, DATA_TEST,
      DATA_ON_BAD_RECORD, DATA_LIMIT, DATA_MODE, DATA_READ_AHEAD_BYTES, DATA_SHUFFLE_WINDOW,
      DATA_CHUNK_EXAMPLES, SPARK_MASTER, WORLD_SIZE, BATCH_SIZE, ACCUMULATION,
      GLOBAL_BATCH, PRECISION, LOSS_SCALE, LOSS_SCALE_WINDOW, EPOCHS, SEED, OBJECTIVE, MASK_RATIO, ND4J_THREADS,
      RENDEZVOUS,
      MAX_SKIPPED_STEPS, OPTIMIZER, LEARNING_RATE,
      MOMENTUM, BETA1, BETA2, EPSILON, WEIGHT_DECAY, TRUST_COEFFICIENT, EXCLUDE, CLIP_NORM, LR_SCALE,
      LR_BASE_BATCH, LR_WARMUP_EPOCHS, LR_WARMUP_STEPS, LR_DECAY, LR_DECAY_POWER, ZERO_STAGE, ZERO_ALIGN,
      ZERO_PREFETCH, ZERO_OVERLAP, ZERO_BUCKET_BYTES, ZERO_WIRE, ZERO_RANK_MEMORY, OFFLOAD_OPTIMIZER, OFFLOAD_PARAMS, OFFLOAD_NVME_PATH,
      OFFLOAD_BUFFER_COUNT, OFFLOAD_BUFFER_BYTES, CHECKPOINT_PATH, CHECKPOINT_EVERY_STEPS,
      CHECKPOINT_KEEP, CHECKPOINT_ON_CORRUPT, CHECKPOINT_ALLOW_OPTIMIZER_CHANGE, CHECKPOINT_FILE_MODE,
      CHECKPOINT_LEASE_S,
      CHECKPOINT_TAKE_OVER, MAX_RESTARTS, EVAL_BATCH, EVAL_EVERY_EPOCH, EVAL_ROBUST_STEPS,
      EVAL_ROBUST_EPSILON, OUTPUT_MODEL,
      OUTPUT_METRICS, OUTPUT_REPORT, PROGRESS_INTERVAL_S, ADV_MODE, ADV_TAU, ADV_STEPS, ADV_EPSILON,
      ADV_STEP_SIZE, ADV_RANDOM_START, ADV_TARGETED, ADV_WEIGHT, ADV_SEPARATE_BN, ADV_INPUT_MIN,
      ADV_INPUT_MAX);

  /** The options that only mean something with {@link #ADV_MODE} conadv or disadv. */
  public static final List<OptionSpec<?>> ADV_DETAILS = List.of(ADV_TAU, ADV_STEPS, ADV_EPSILON, ADV_STEP_SIZE,
      ADV_RANDOM_START, ADV_TARGETED, ADV_WEIGHT, ADV_SEPARATE_BN, ADV_INPUT_MIN, ADV_INPUT_MAX);

  /** Keys under this prefix are passed to Spark's configuration verbatim (prefix removed). */
  public static final String SPARK_CONF_PREFIX = "spark-conf.";
}
