package io.sparkzero.driver.ml;

import io.sparkzero.driver.data.DataFrameSource;
import io.sparkzero.driver.train.TrainingReport;
import io.sparkzero.worker.model.TrainableModel;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A classifier trained by {@link SparkZeroClassifier}: its {@link #transform} adds the predicted
 * class ({@code double}, as Spark ML's classifiers give it) and the class probabilities (an ML
 * vector) to each row, predicting in batches on the executors. It saves and loads the Spark ML
 * way ({@code model.write().save(path)}, {@code SparkZeroClassificationModel.load(path)}, and as a
 * stage of a saved {@code PipelineModel}): Spark ML's metadata, and the network as a plain DL4J
 * model file under {@code data/model.zip}, which {@code spark-zero eval --model-file} and DL4J
 * read too.
 */
public final class SparkZeroClassificationModel extends Model<SparkZeroClassificationModel>
    implements MLWritable {
  private static final long serialVersionUID = 1L;
  /** Where under a saved model's directory the network lies. */
  static final String NETWORK_FILE = "data/model.zip";

  private final String uid;
  private final byte[] network;
  private final int numFeatures;
  private final int numClasses;
  private final transient TrainingReport summary;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;

  SparkZeroClassificationModel(String uid, byte[] network, TrainingReport summary) {
    this(uid, network, summary, BatchPredictor.load(network));
  }

  private SparkZeroClassificationModel(String uid, byte[] network, TrainingReport summary,
      TrainableModel net) {
    this(uid, network, summary, net.numFeatures(), net.numClasses());
  }

  /** A model whose network's shape is known already (a copy): the network is not read again. */
  private SparkZeroClassificationModel(String uid, byte[] network, TrainingReport summary,
      int numFeatures, int numClasses) {
    this.uid = uid;
    this.network = network;
    this.summary = summary;
    this.numFeatures = numFeatures;
    this.numClasses = numClasses;
    featuresCol = new Param<>(this, "featuresCol", "features column: vector, array<float>,"
        + " array<double> or binary (one unsigned byte per feature, scaled /255)");
    predictionCol = new Param<>(this, "predictionCol", "prediction column: the likeliest class");
    probabilityCol = new Param<>(this, "probabilityCol", "class probability column (a vector)");
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> featuresCol() {
    return featuresCol;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public SparkZeroClassificationModel setFeaturesCol(String value) {
    set(featuresCol, value);
    return this;
  }

  public SparkZeroClassificationModel setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public SparkZeroClassificationModel setProbabilityCol(String value) {
    set(probabilityCol, value);
    return this;
  }

  /** Features the network takes per row. */
  public int numFeatures() {
    return numFeatures;
  }

  /** Classes the network tells apart. */
  public int numClasses() {
    return numClasses;
  }

  /** The network as a DL4J model file's bytes (what {@code data/model.zip} holds). */
  public byte[] modelFile() {
    return network.clone();
  }

  /** The training run's report (epochs, evaluation); empty for a model read back from storage. */
  public Optional<TrainingReport> summary() {
    return Optional.ofNullable(summary);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    DataFrameSource.Features features = DataFrameSource.features(dataset.schema(),
        getOrDefault(featuresCol), "the DataFrame passed to transform");
    Dataset<Row> rows = dataset.toDF();
    int columns = rows.schema().size();
    SparkSession spark = dataset.sparkSession();
    Broadcast<byte[]> shared = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(network);
    JavaRDD<Row> predicted = rows.withColumn("__sparkzero_features", features.column())
        .javaRDD()
        .mapPartitions(new BatchPredictor(shared, features.bytes(), numFeatures, numClasses,
            columns));
    return spark.createDataFrame(predicted, out);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    DataFrameSource.features(schema, getOrDefault(featuresCol), "the DataFrame passed to transform");
    return outputSchema(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol));
  }

  /** {@code schema} with the prediction and probability columns added; both must be new. */
  static StructType outputSchema(StructType schema, String prediction, String probability) {
    for (String added : new String[] {prediction, probability}) {
      if (Arrays.asList(schema.fieldNames()).contains(added)) {
        throw new IllegalArgumentException("column '" + added + "' already exists, and the model"
            + " adds a column of that name; drop it or name the model's column otherwise"
            + " (setPredictionCol, setProbabilityCol)");
      }
    }
    if (prediction.equals(probability)) {
      throw new IllegalArgumentException("the prediction and probability columns are both named '"
          + prediction + "'; give them different names");
    }
    return schema.add(prediction, DataTypes.DoubleType, false)
        .add(probability, SQLDataTypes.VectorType(), false);
  }

  @Override
  public SparkZeroClassificationModel copy(ParamMap extra) {
    SparkZeroClassificationModel copy =
        new SparkZeroClassificationModel(uid, network, summary, numFeatures, numClasses);
    copyValues(copy, extra);
    return copy.setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** Spark ML's reader of a saved model. */
  public static MLReader<SparkZeroClassificationModel> read() {
    return new Reader();
  }

  /** Reads a model saved with {@code write().save(path)}. */
  public static SparkZeroClassificationModel load(String path) {
    return read().load(path);
  }

  /** Writes Spark ML's metadata (uid, params), then the network. */
  private static final class Writer extends MLWriter {
    private final SparkZeroClassificationModel model;

    Writer(SparkZeroClassificationModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
      Path file = new Path(path, NETWORK_FILE);
      try {
        FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
        try (OutputStream out = fs.create(file, true)) {
          out.write(model.network);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("writing the network to " + file + ": " + e.getMessage(), e);
      }
    }
  }

  private static final class Reader extends MLReader<SparkZeroClassificationModel> {
    @Override
    public SparkZeroClassificationModel load(String path) {
      DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path,
          sparkSession(), SparkZeroClassificationModel.class.getName());
      Path file = new Path(path, NETWORK_FILE);
      byte[] network;
      try {
        FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (InputStream in = fs.open(file)) {
          in.transferTo(bytes);
        }
        network = bytes.toByteArray();
      } catch (FileNotFoundException e) {
        throw new UncheckedIOException(file + ": the network is missing; '" + path + "' holds"
            + " the metadata of a SparkZeroClassificationModel but not its " + NETWORK_FILE, e);
      } catch (IOException e) {
        throw new UncheckedIOException("reading the network " + file + ": " + e.getMessage(), e);
      }
      SparkZeroClassificationModel model =
          new SparkZeroClassificationModel(metadata.uid(), network, null);
      metadata.getAndSetParams(model, scala.Option.empty());
      return model;
    }
  }
}
