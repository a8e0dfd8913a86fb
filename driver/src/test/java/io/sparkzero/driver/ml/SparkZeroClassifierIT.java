package io.sparkzero.driver.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.driver.data.BadRecordPolicy;
import io.sparkzero.driver.data.DataFormatException;
import io.sparkzero.driver.data.DataSources;
import io.sparkzero.driver.data.DataSpec;
import io.sparkzero.driver.train.EpochSummary;
import io.sparkzero.driver.train.TrainingReport;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.model.ModelLoader;
import io.sparkzero.worker.model.TrainableModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark ML API end to end on {@code local-cluster[2,1,2048]}, on a session built as a user
 * builds one (Kryo without spark-zero's registrator, no spark-zero settings): a DataFrame with ML vector
 * features and double labels fits a classifier whose ranks run in the executor JVMs, inside a
 * {@link Pipeline}; the model predicts, saves and loads the Spark ML way, alone and as a pipeline
 * stage, and its saved network is a DL4J model file with the trained parameters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkZeroClassifierIT {
  private SparkSession spark;

  @BeforeAll
  void startCluster() throws Exception {
    Path home = Path.of(System.getenv("SPARK_HOME"));
    if (!Files.exists(home.resolve("RELEASE"))) {
      Files.createFile(home.resolve("RELEASE"));
    }
    String classes = System.getProperty("sparkzero.classes");
    spark = SparkSession.builder()
        .appName("spark-zero ml api")
        .master("local-cluster[2,1,2048]")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        // Kryo, as many Spark ML users set it, without spark-zero's registrator
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.executor.memory", "1536m")
        // the application's classes (spark-zero's, and this test's lambdas), as --jars ships them
        .config("spark.executor.extraClassPath", classes + java.io.File.pathSeparator
            + Path.of(classes).resolveSibling("test-classes"))
        .config("spark.executorEnv.OMP_NUM_THREADS", "1")
        .config("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
        .config("spark.executor.extraJavaOptions", "-Djava.net.preferIPv4Stack=true")
        .getOrCreate();
  }

  @AfterAll
  void stopCluster() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** Synthetic examples as a DataFrame of (label double, features vector), as Spark ML holds them. */
  private Dataset<Row> frame(String spec) {
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    return spark.createDataFrame(DataSources.load(spark, DataSpec.parse(spec),
        BadRecordPolicy.FAIL, 4).examples().map(e -> {
          double[] x = new double[e.features().length];
          for (int i = 0; i < x.length; i++) {
            x[i] = e.features()[i];
          }
          return RowFactory.create((double) e.label(), Vectors.dense(x));
        }), schema);
  }

  private static SparkZeroClassifier classifier() {
    return new SparkZeroClassifier()
        .setOption("model", "mlp")
        .setOption("train.world-size", 2)
        .setOption("train.batch-size", 32)
        .setOption("train.epochs", 2)
        .setOption("optimizer.name", "adam")
        .setOption("optimizer.lr", 0.002)
        .setOption("zero.stage", 2)
        .setOption("collective.ipc-term-bytes", 4 << 20);
  }

  @Test
  void aPipelineFitsOnTheExecutorsPredictsAndRoundTripsThroughStorage(@TempDir Path dir)
      throws Exception {
    Dataset<Row> train = frame("synthetic:n=2048,features=784,classes=10,seed=11");
    Dataset<Row> test = frame("synthetic:n=512,features=784,classes=10,seed=11,start=2048");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {classifier()}).fit(train);
    SparkZeroClassificationModel model = (SparkZeroClassificationModel) fitted.stages()[0];

    TrainingReport report = model.summary().orElseThrow();
    assertThat(report.epochs()).hasSize(2);
    long driverPid = ProcessHandle.current().pid();
    for (EpochSummary epoch : report.epochs()) {
      assertThat(epoch.processIds()).as("the ranks ran in the executor JVMs")
          .doesNotContain(driverPid).hasSize(2);
    }

    List<Row> predicted = predictions(fitted.transform(test));
    assertThat(fitted.transform(test).columns())
        .containsExactly("label", "features", "prediction", "probability");
    assertThat(predicted).hasSize(512);
    long right = 0;
    for (Row row : predicted) {
      Vector p = row.getAs("probability");
      assertThat(p.size()).isEqualTo(10);
      assertThat(java.util.Arrays.stream(p.toArray()).sum()).isCloseTo(1.0,
          org.assertj.core.data.Offset.offset(1e-5)); // softmax, summed in float
      assertThat((double) p.argmax()).isEqualTo(row.<Double>getAs("prediction"));
      right += row.<Double>getAs("prediction").equals(row.<Double>getAs("label")) ? 1 : 0;
    }
    assertThat(right / 512.0).as("test accuracy").isGreaterThan(0.8);

    String modelDir = dir.resolve("model").toString();
    model.write().overwrite().save(modelDir);
    SparkZeroClassificationModel loaded = SparkZeroClassificationModel.load(modelDir);
    assertThat(loaded.uid()).isEqualTo(model.uid());
    assertThat(loaded.summary()).isEmpty();
    assertThat(predictions(loaded.transform(test)))
        .as("the loaded model predicts exactly as the trained one")
        .containsExactlyInAnyOrderElementsOf(predicted);

    TrainableModel network = ModelLoader.load(dir.resolve("model")
        .resolve(SparkZeroClassificationModel.NETWORK_FILE));
    assertThat(network.params().toFloatVector()).as("data/model.zip is a DL4J model file with"
        + " the trained parameters").containsExactly(report.finalParams());

    String pipelineDir = dir.resolve("pipeline").toString();
    fitted.write().save(pipelineDir);
    assertThat(predictions(PipelineModel.load(pipelineDir).transform(test)))
        .as("a saved pipeline with the model as a stage")
        .containsExactlyInAnyOrderElementsOf(predicted);
  }

  /**
   * The README's Java and Scala examples, compiled from the README's text and run here as their
   * {@code main} (whose {@code getOrCreate} picks up this test's session), on Parquet files of
   * (label, vector) rows: each trains, predicts, saves and reads back a model. The run is made
   * smaller (model {@code mlp}, 1 epoch, 2 ranks, small IPC terms); each replacement must match,
   * so an edit to the examples that this test does not follow fails it.
   */
  @Test
  void theReadmeExamplesCompileAndRun(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String train = dir.resolve("train.parquet").toString();
    String test = dir.resolve("test.parquet").toString();
    frame("synthetic:n=2048,features=784,classes=10,seed=11").write().parquet(train);
    frame("synthetic:n=512,features=784,classes=10,seed=11,start=2048").write().parquet(test);
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));

    Path javaSource = dir.resolve("java").resolve("TrainFromDataFrame.java");
    Files.createDirectories(javaSource.getParent());
    Files.writeString(javaSource, smaller(block(readme, "```java", "class TrainFromDataFrame")));
    java.io.ByteArrayOutputStream javacOut = new java.io.ByteArrayOutputStream();
    assertThat(javax.tools.ToolProvider.getSystemJavaCompiler().run(null, javacOut, javacOut,
        "-d", javaSource.getParent().toString(), "-cp", classpath, javaSource.toString()))
        .as("javac: %s", javacOut).isZero();
    runExample(javaSource.getParent(), train, test, dir.resolve("java-model").toString());

    Path scalaSource = dir.resolve("scala").resolve("TrainFromDataFrame.scala");
    Files.createDirectories(scalaSource.getParent());
    Files.writeString(scalaSource, smaller(block(readme, "```scala", "object TrainFromDataFrame")));
    assertThat(scala.tools.nsc.Main.process(new String[] {"-classpath", classpath, "-d",
        scalaSource.getParent().toString(), scalaSource.toString()})).as("scalac").isTrue();
    runExample(scalaSource.getParent(), train, test, dir.resolve("scala-model").toString());
  }

  /** The fenced block opened by {@code fence} that holds {@code marker}. */
  private static String block(String readme, String fence, String marker) {
    int at = readme.indexOf(marker);
    assertThat(at).as("README.md holds %s", marker).isPositive();
    int start = readme.lastIndexOf(fence + "\n", at);
    assertThat(start).as("%s is inside a %s block", marker, fence).isNotNegative();
    return readme.substring(start + fence.length() + 1, readme.indexOf("```", at));
  }

  /** The example with a small model, one epoch, two ranks and terms that fit a small /dev/shm. */
  private static String smaller(String code) {
    String[][] edits = {
        {"\"fmnist-cnn\"", "\"mlp\""},
        {"(\"train.world-size\", 4)", "(\"train.world-size\", 2)"},
        {"(\"train.epochs\", 5)", "(\"train.epochs\", 1)"},
        {".setOption(\"zero.stage\", 2)", ".setOption(\"zero.stage\", 2)"
            + ".setOption(\"train.batch-size\", 32).setOption(\"optimizer.name\", \"adam\")"
            + ".setOption(\"optimizer.lr\", 0.002)"
            + ".setOption(\"collective.ipc-term-bytes\", 4194304)"}};
    for (String[] edit : edits) {
      assertThat(code).as("the README example").contains(edit[0]);
      code = code.replace(edit[0], edit[1]);
    }
    return code;
  }

  /** Runs a compiled example's main and checks the model it saved. */
  private void runExample(Path classes, String train, String test, String modelDir)
      throws Exception {
    java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
    java.io.PrintStream saved = System.out;
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
        new java.net.URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
      java.io.PrintStream captured = new java.io.PrintStream(stdout, true);
      System.setOut(captured);
      java.lang.reflect.Method main = loader.loadClass("TrainFromDataFrame")
          .getMethod("main", String[].class);
      // Dataset.show prints through Scala's Console, which keeps the stream it started with
      scala.Console$.MODULE$.withOut(captured, () -> {
        try {
          return main.invoke(null, (Object) new String[] {train, test, modelDir});
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      });
    } finally {
      System.setOut(saved);
    }
    assertThat(stdout.toString()).contains("|label|prediction|")
        .contains("model of 10 classes saved to " + modelDir);
    List<Row> rows = predictions(SparkZeroClassificationModel.load(modelDir)
        .transform(spark.read().parquet(test)));
    long right = rows.stream().filter(r -> r.getDouble(0) == r.getDouble(1)).count();
    assertThat(right / (double) rows.size()).as("test accuracy after one epoch")
        .isGreaterThan(0.5);
  }

  /** What a model added to each row, with the row's label. */
  private static List<Row> predictions(Dataset<Row> transformed) {
    return transformed.select("label", "prediction", "probability").collectAsList();
  }

  @Test
  void badInputIsRefusedBeforeAnyTraining() {
    assertThatThrownBy(() -> classifier().setOption("data.train", "synthetic:n=10"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("the DataFrame passed to fit is the training data");
    assertThatThrownBy(() -> classifier().setOption("data.mode", "stream"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a DataFrame's rows are held by the ranks");
    assertThatThrownBy(() -> classifier().setOption("spark-conf.spark.executor.memory", "2g"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("fit runs on the DataFrame's own Spark session");
    assertThatThrownBy(() -> classifier().setOption("train.epoch", 2))
        .isInstanceOf(ConfigException.class).hasMessageContaining("unknown option");

    double[] nan = new double[784];
    nan[100] = Double.NaN;
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    Dataset<Row> bad = spark.createDataFrame(List.of(
        RowFactory.create(1.0, Vectors.dense(new double[784])),
        RowFactory.create(2.0, Vectors.dense(nan))), schema);
    assertThatThrownBy(() -> classifier().fit(bad))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("the DataFrame passed to fit, row id 1: features holds NaN");
    assertThatThrownBy(() -> classifier().setFeaturesCol("pixels").fit(bad))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("features column 'pixels': missing");
  }
}
