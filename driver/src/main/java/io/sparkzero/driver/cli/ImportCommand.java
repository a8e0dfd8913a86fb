package io.sparkzero.driver.cli;

import io.sparkzero.driver.data.BadRecordPolicy;
import io.sparkzero.driver.data.IdxSpec;
import io.sparkzero.driver.data.IdxToParquet;
import io.sparkzero.driver.data.ImportResult;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spark-zero import images.idx[.gz] out.parquet}: IDX to Parquet. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Convert IDX images and labels into Parquet (id long, label int, features binary).")
final class ImportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IMAGES", description = "IDX images file (gzipped or not), any Hadoop URI.")
  String images;

  @Parameters(index = "1", paramLabel = "OUT", description = "Output Parquet directory, any Hadoop URI.")
  String out;

  @Option(names = "--labels", paramLabel = "URI", description = "IDX labels file (default: derived from IMAGES).")
  String labels;

  @Option(names = "--classes", defaultValue = "10", description = "Number of classes (labels must be below it).")
  int classes;

  @Option(names = "--overwrite", description = "Replace an existing output.")
  boolean overwrite;

  @Option(names = "--on-bad-record", defaultValue = "fail", paramLabel = "fail|skip",
      description = "Fail on a bad record, or skip and report it.")
  String onBadRecord;

  @Option(names = "--master", defaultValue = "local[*]", description = "Spark master when not under spark-submit.")
  String master;

  @Override
  public Integer call() throws Exception {
    BadRecordPolicy policy = BadRecordPolicy.parse(onBadRecord);
    IdxSpec spec = new IdxSpec(images, labels != null ? labels : IdxSpec.labelsUriFor(images), classes);
    SparkSession.Builder builder = SparkSession.builder().appName("spark-zero import");
    if (!new org.apache.spark.SparkConf(true).contains("spark.master")) {
      builder.master(master).config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.ui.enabled", "false");
    }
    try (SparkSession spark = builder.getOrCreate()) {
      ImportResult result = IdxToParquet.importIdx(spark, spec, out, overwrite, policy);
      System.out.printf("spark-zero: imported %d examples of %d features into %s%n",
          result.count(), result.numFeatures(), result.outUri());
      if (!result.badRecords().isEmpty()) {
        System.out.println("spark-zero: " + result.badRecords().summary());
      }
    }
    return 0;
  }
}
