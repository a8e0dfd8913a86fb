package io.sparkzero.driver.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Converts IDX files to the Parquet layout {@link DataSources} reads ({@code id bigint, label int,
 * features binary}, pixels kept as bytes): backs {@code spark-zero import <images.idx[.gz]>
 * <out.parquet> [--labels <uri>]}. The IDX files are read on the driver, in one pass; Spark
 * writes the Parquet files from {@code spark.default.parallelism} partitions, in row groups of
 * about {@value #ROW_GROUP_BYTES} bytes: a streamed data set is dealt to the ranks by row group,
 * so small ones (about 1,300 Fashion-MNIST images) keep the ranks' shares even and mix each
 * shuffle window from many places.
 */
public final class IdxToParquet {

  /** The schema written. */
  static final StructType SCHEMA = new StructType()
      .add(ParquetColumns.ID, DataTypes.LongType, false)
      .add(ParquetColumns.LABEL, DataTypes.IntegerType, false)
      .add(ParquetColumns.FEATURES, DataTypes.BinaryType, false);

  /** Bytes of a row group the writer aims at ({@code parquet.block.size}). */
  static final int ROW_GROUP_BYTES = 1 << 20;

  private IdxToParquet() {}

  /**
   * Imports {@code spec} into {@code outUri}.
   *
   * @param overwrite replace an existing {@code outUri}; without it an existing output is refused
   *     before anything is read
   * @throws IllegalArgumentException when the output exists and {@code overwrite} is false, or
   *     when the output would replace an input file
   * @throws DataFormatException as {@link IdxReader#read}
   */
  public static ImportResult importIdx(SparkSession spark, IdxSpec spec, String outUri,
      boolean overwrite, BadRecordPolicy policy) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    checkOutput(conf, spec, outUri, overwrite);
    List<Row> rows = new ArrayList<>();
    IdxReadResult result = new IdxReader(conf, policy)
        .read(spec, r -> rows.add(RowFactory.create(r.id(), r.label(), r.pixels())));
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    spark.createDataFrame(jsc.parallelize(rows, spark.sparkContext().defaultParallelism()), SCHEMA)
        .write()
        .mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
        .option("parquet.block.size", ROW_GROUP_BYTES)
        .parquet(outUri);
    return new ImportResult(outUri, result.count(), result.numFeatures(), result.badRecords());
  }

  private static void checkOutput(Configuration conf, IdxSpec spec, String outUri,
      boolean overwrite) {
    try {
      Path out = new Path(outUri);
      FileSystem fs = out.getFileSystem(conf);
      Path qualifiedOut = fs.makeQualified(out);
      for (String input : List.of(spec.imagesUri(), spec.labelsUri())) {
        Path in = new Path(input);
        if (in.getFileSystem(conf).makeQualified(in).equals(qualifiedOut)) {
          throw new IllegalArgumentException("import: output " + outUri + " is the input file "
              + input + "; choose another output path");
        }
      }
      if (!overwrite && fs.exists(out)) {
        throw new IllegalArgumentException("import: output " + outUri + " already exists;"
            + " pass --overwrite (overwrite=true) to replace it, or choose another path");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("import: check output " + outUri + " failed", e);
    }
  }
}
