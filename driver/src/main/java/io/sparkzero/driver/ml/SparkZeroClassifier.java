package io.sparkzero.driver.ml;

import io.sparkzero.driver.data.BadRecordPolicy;
import io.sparkzero.driver.data.DataFrameSource;
import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.progress.Console;
import io.sparkzero.driver.train.EpochListener;
import io.sparkzero.driver.train.JobData;
import io.sparkzero.driver.train.ModelOutput;
import io.sparkzero.driver.train.TrainingJob;
import io.sparkzero.driver.train.TrainingReport;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.data.Objective;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * A Spark ML {@link Estimator} that trains a spark-zero classifier on a DataFrame: the same
 * distributed run as {@code spark-zero train} (ZeRO stages, offload, checkpoints, ConAdv, pruning),
 * on the DataFrame's own Spark session, with the DataFrame as the training data.
 *
 * <p>Job options are set by their {@code spark-zero options} keys ({@link #setOption}); the
 * session's Spark settings take the place of {@code spark.master} and {@code spark-conf.*}. The
 * features column may be an ML vector, {@code array<float>}, {@code array<double>} or {@code
 * binary}; the label column any integral or floating type holding class numbers.
 *
 * <pre>{@code
 * SparkZeroClassificationModel model = new SparkZeroClassifier()
 *     .setOption("model", "mlp").setOption("train.epochs", 3).setOption("train.world-size", 2)
 *     .fit(train);
 * model.transform(test).select("label", "prediction", "probability").show();
 * model.write().overwrite().save("hdfs://nn/models/fmnist");
 * }</pre>
 */
public final class SparkZeroClassifier extends Estimator<SparkZeroClassificationModel>
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;
  /** What the training data is, in errors and bad-record reports. */
  static final String FIT_INPUT = "the DataFrame passed to fit";

  private final String uid;
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> idCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final StringArrayParam options;

  /** An estimator with a new random uid and every option at its default. */
  public SparkZeroClassifier() {
    this(Identifiable$.MODULE$.randomUID("sparkZeroClassifier"));
  }

  /** An estimator with the given uid (Spark ML's readers and copies call this). */
  public SparkZeroClassifier(String uid) {
    this.uid = uid;
    featuresCol = new Param<>(this, "featuresCol", "features column: vector, array<float>,"
        + " array<double> or binary (one unsigned byte per feature, scaled /255)");
    labelCol = new Param<>(this, "labelCol", "label column: class numbers 0..classes-1, of any"
        + " integral or floating type");
    idCol = new Param<>(this, "idCol", "example id column (integral), named in bad-record reports"
        + " and pruning; empty: the row's position");
    predictionCol = new Param<>(this, "predictionCol", "prediction column the model adds");
    probabilityCol = new Param<>(this, "probabilityCol", "class probability column the model adds");
    options = new StringArrayParam(this, "options", "spark-zero job options as key=value, as"
        + " 'spark-zero options' lists them");
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(idCol, "");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(options, new String[0]);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> labelCol() {
    return labelCol;
  }

  public Param<String> idCol() {
    return idCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public StringArrayParam options() {
    return options;
  }

  public SparkZeroClassifier setFeaturesCol(String value) {
    set(featuresCol, value);
    return this;
  }

  public SparkZeroClassifier setLabelCol(String value) {
    set(labelCol, value);
    return this;
  }

  public SparkZeroClassifier setIdCol(String value) {
    set(idCol, value);
    return this;
  }

  public SparkZeroClassifier setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public SparkZeroClassifier setProbabilityCol(String value) {
    set(probabilityCol, value);
    return this;
  }

  /**
   * Sets one job option, replacing an earlier value: {@code setOption("zero.stage", 2)}.
   *
   * @throws ConfigException for an unknown key or a bad value (checked at once), or for an option
   *     that the DataFrame's session decides ({@code spark.master}, {@code spark-conf.*}) or the
   *     DataFrame itself ({@code data.train})
   */
  public SparkZeroClassifier setOption(String key, Object value) {
    Map<String, String> merged = optionMap();
    merged.put(key, String.valueOf(value));
    jobConfig(merged, Map.of()); // fails now on a bad key or value, not later in fit
    List<String> entries = new ArrayList<>();
    merged.forEach((k, v) -> entries.add(k + "=" + v));
    set(options, entries.toArray(new String[0]));
    return this;
  }

  /** Sets several job options ({@link #setOption}). */
  public SparkZeroClassifier setOptions(Map<String, ?> values) {
    values.forEach(this::setOption);
    return this;
  }

  /** The job options set, in the order first set. */
  public Map<String, String> optionMap() {
    Map<String, String> map = new LinkedHashMap<>();
    for (String entry : getOrDefault(options)) {
      int eq = entry.indexOf('=');
      map.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return map;
  }

  /**
   * Trains on {@code dataset}, one barrier stage per epoch on its session's executors, and keeps
   * the trained network.
   *
   * @throws ConfigException for options that do not fit together or do not fit the memory plan
   * @throws io.sparkzero.driver.data.DataFormatException for a column missing or of a type not
   *     allowed, or a bad row (wrong length, NaN or infinity, label out of range) under {@code
   *     data.on-bad-record: fail}
   */
  @Override
  public SparkZeroClassificationModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    SparkSession spark = dataset.sparkSession();
    Map<String, String> sessionConf = new LinkedHashMap<>();
    for (Tuple2<String, String> entry : spark.sparkContext().getConf().getAll()) {
      sessionConf.put(entry._1(), entry._2());
    }
    JobConfig config = jobConfig(optionMap(), sessionConf);
    if (config.get(JobOptions.OBJECTIVE) != Objective.Kind.CLASSIFY) {
      throw new ConfigException(JobOptions.OBJECTIVE.key(), "SparkZeroClassifier trains a"
          + " classifier (train.objective classify); pretrain an encoder with 'spark-zero train'");
    }
    TrainingJob job = TrainingJob.checked(config, Console.plain(System.out)).keepingFinalParams();
    LoadedData data = DataFrameSource.load(dataset,
        new DataFrameSource.Columns(getOrDefault(featuresCol), getOrDefault(labelCol),
            getOrDefault(idCol)),
        job.modelOutputs(), job.modelInputs(), FIT_INPUT,
        BadRecordPolicy.parse(config.get(JobOptions.DATA_ON_BAD_RECORD)));
    TrainingReport report = job.run(spark, JobData.limited(data, config), EpochListener.NONE);
    byte[] network = ModelOutput.bytes(config.get(JobOptions.MODEL), config.get(JobOptions.SEED),
        report.finalParams());
    SparkZeroClassificationModel model = new SparkZeroClassificationModel(uid, network, report);
    copyValues(model, extractParamMap());
    model.setParent(this);
    return model;
  }

  /**
   * The job's configuration: the options set here, the session's master and settings in place of
   * {@code spark.master} and {@code spark-conf.*}.
   */
  private static JobConfig jobConfig(Map<String, String> set, Map<String, String> sessionConf) {
    for (String key : set.keySet()) {
      if (key.equals(JobOptions.SPARK_MASTER.key())
          || key.startsWith(JobOptions.SPARK_CONF_PREFIX)) {
        throw new ConfigException(key, "fit runs on the DataFrame's own Spark session: set"
            + " Spark settings on that session (SparkSession.builder().config(...), spark-submit"
            + " --conf), not as job options");
      }
      if (key.equals(JobOptions.DATA_TRAIN.key())) {
        throw new ConfigException(key, "the DataFrame passed to fit is the training data;"
            + " data.train is for 'spark-zero train'");
      }
      if (key.equals(JobOptions.DATA_MODE.key()) && "stream".equals(set.get(key))) {
        throw new ConfigException(key, "stream reads the files of 'spark-zero train' data.train;"
            + " a DataFrame's rows are held by the ranks (data.mode memory)");
      }
    }
    Map<String, Object> raw = new LinkedHashMap<>(set);
    String master = sessionConf.get("spark.master");
    if (master != null) {
      raw.put(JobOptions.SPARK_MASTER.key(), master);
    }
    sessionConf.forEach((k, v) -> raw.put(JobOptions.SPARK_CONF_PREFIX + k, v));
    return JobConfig.of(raw);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    DataFrameSource.features(schema, getOrDefault(featuresCol), FIT_INPUT);
    return SparkZeroClassificationModel.outputSchema(schema, getOrDefault(predictionCol),
        getOrDefault(probabilityCol));
  }

  @Override
  public SparkZeroClassifier copy(ParamMap extra) {
    return (SparkZeroClassifier) defaultCopy(extra);
  }

  /** Spark ML's reader of a saved estimator ({@code write().save(path)}). */
  public static MLReader<SparkZeroClassifier> read() {
    return new DefaultParamsReader<>();
  }

  /** Reads an estimator saved with {@code write().save(path)}. */
  public static SparkZeroClassifier load(String path) {
    return read().load(path);
  }
}
