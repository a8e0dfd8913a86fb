package io.sparkzero.driver.data;

import io.sparkzero.worker.data.ExampleChunk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.execution.datasources.parquet.ParquetToSparkSchemaConverter;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Lists a Parquet data set as {@link ParquetRowGroup} chunks, one per non-empty row group, from
 * the files' footers alone: the driver reads no rows.
 *
 * <p>Every file's schema is checked as {@link ParquetSource} checks the data set's (Spark's own
 * Parquet-to-SQL type mapping, then {@link ParquetColumns}), so a wrong file fails the listing
 * and names itself, not a rank in the middle of an epoch.
 */
public final class ParquetRowGroups {

  private ParquetRowGroups() {}

  /**
   * The row groups of {@code spec}'s files, files in path order, row groups in file order.
   *
   * @param conf resolves the file system (on a driver: the Spark context's {@code
   *     hadoopConfiguration()}); the chunks share one copy of it, taken now
   * @param numFeatures values every row must have: the spec's {@code features=} when it has one,
   *     else the first row's length
   * @param policy what a chunk does with a bad row when it is read
   * @throws UncheckedIOException naming the path when it is missing, holds no files, or a footer
   *     cannot be read
   * @throws DataFormatException naming the file that is not Parquet or lacks the columns
   * @throws IllegalArgumentException when {@code numFeatures} is out of range or differs from the
   *     spec's
   */
  public static List<ExampleChunk> list(Configuration conf, ParquetSpec spec, int numFeatures,
      BadRecordPolicy policy) {
    DataSpecParser.requireFeatures(numFeatures);
    if (spec.numFeatures().isPresent() && spec.numFeatures().getAsInt() != numFeatures) {
      throw new IllegalArgumentException("Parquet " + spec.uri() + ": numFeatures = "
          + numFeatures + " differs from the data spec's features=" + spec.numFeatures().getAsInt()
          + "; pass the spec's value");
    }
    ParquetRowRules rules = ParquetRowRules.of(spec, numFeatures);
    SerializableConfiguration shared = new SerializableConfiguration(new Configuration(conf));
    List<ExampleChunk> chunks = new ArrayList<>();
    for (FileStatus status : ParquetFiles.list(conf, spec.uri())) {
      String file = status.getPath().toString();
      ParquetMetadata footer = footer(conf, status);
      ParquetColumns.check(sparkSchema(footer, file), file);
      List<BlockMetaData> groups = footer.getBlocks();
      long firstRow = 0;
      for (int i = 0; i < groups.size(); i++) {
        long rows = groups.get(i).getRowCount();
        if (rows > 0) {
          chunks.add(new ParquetRowGroup(shared, rules, policy, file, i, firstRow, rows));
        }
        firstRow += rows;
      }
    }
    return chunks;
  }

  private static ParquetMetadata footer(Configuration conf, FileStatus status) {
    String file = status.getPath().toString();
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromStatus(status, conf))) {
      return reader.getFooter();
    } catch (IOException e) {
      throw new UncheckedIOException("read the Parquet footer of " + file + " failed (" + e
          + "); check that the file is readable", e);
    } catch (RuntimeException e) { // parquet-hadoop's "is not a Parquet file"
      throw new DataFormatException(file, "footer", e.getMessage() + "; every file under the"
          + " path is read as Parquet, except names starting with _ or .: move other files out", e);
    }
  }

  /** The schema as Spark SQL reads it, with the session's settings (binaryAsString and such). */
  private static StructType sparkSchema(ParquetMetadata footer, String file) {
    try {
      return new ParquetToSparkSchemaConverter(SQLConf.get())
          .convert(footer.getFileMetaData().getSchema());
    } catch (Exception e) { // Spark's AnalysisException for a type it cannot read; checked in Java
      throw new DataFormatException(file, "footer", "Spark cannot read the schema ("
          + e.getMessage() + "); rewrite the file with columns id, label and features", e);
    }
  }
}
