package io.sparkzero.driver.data;

import io.sparkzero.worker.data.ExampleChunk;
import io.sparkzero.worker.data.LabeledExample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * One row group of a Parquet file, read on an executor with parquet-hadoop: only the {@code id},
 * {@code label} and {@code features} column chunks are fetched, and each row is checked by
 * {@link ParquetRowRules} as {@link ParquetSource} checks it. Listed by {@link ParquetRowGroups}.
 *
 * <p>The Hadoop configuration and the rules are shared by every chunk of one list, so a list
 * serialized whole carries them once.
 */
final class ParquetRowGroup implements ExampleChunk {

  private static final long serialVersionUID = 1L;

  private final SerializableConfiguration conf;
  private final ParquetRowRules rules;
  private final BadRecordPolicy policy;
  private final String file;
  private final int rowGroup;
  private final long firstRow;
  private final long rowCount;

  /**
   * @param file the qualified path, as the listing found it
   * @param rowGroup the row group's index in the file
   * @param firstRow the position in the file of the row group's first row
   * @param rowCount the rows the footer gives the row group
   */
  ParquetRowGroup(SerializableConfiguration conf, ParquetRowRules rules, BadRecordPolicy policy,
      String file, int rowGroup, long firstRow, long rowCount) {
    this.conf = conf;
    this.rules = rules;
    this.policy = policy;
    this.file = file;
    this.rowGroup = rowGroup;
    this.firstRow = firstRow;
    this.rowCount = rowCount;
  }

  @Override
  public long count() {
    return rowCount;
  }

  @Override
  public String location() {
    return file + " row group " + rowGroup + " (rows " + firstRow + "-" + (firstRow + rowCount - 1)
        + ")";
  }

  @Override
  public long read(Consumer<LabeledExample> sink) {
    Configuration hadoop = conf.value();
    Path path = new Path(file);
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, hadoop),
        HadoopReadOptions.builder(hadoop, path).build())) {
      checkUnchanged(reader.getRowGroups());
      FileMetaData meta = reader.getFooter().getFileMetaData();
      MessageType projection = ParquetRowMaterializer.projection(meta.getSchema());
      reader.setRequestedSchema(projection);
      PageReadStore pages = reader.readRowGroup(rowGroup);
      ParquetRowMaterializer rows = new ParquetRowMaterializer(projection, rules.numFeatures());
      RecordReader<ParquetRowValues> records = new ColumnIOFactory(meta.getCreatedBy())
          .getColumnIO(projection, meta.getSchema()).getRecordReader(pages, rows);
      return readRows(records, sink);
    } catch (IOException e) {
      throw new UncheckedIOException("read Parquet " + location() + " failed (" + e
          + "); check that the file still exists and is readable", e);
    }
  }

  private long readRows(RecordReader<ParquetRowValues> records, Consumer<LabeledExample> sink) {
    BadRecordLog log = new BadRecordLog(policy);
    for (long row = 0; row < rowCount; row++) {
      ParquetRowValues values;
      try {
        values = records.read();
      } catch (ParquetDecodingException e) {
        throw new DataFormatException(file, "row group " + rowGroup + ", row " + (firstRow + row),
            "cannot decode the row (" + e.getMessage() + "); the file is damaged: write it"
                + " again", e);
      }
      String problem = rules.problem(values);
      if (problem == null) {
        sink.accept(values.toExample());
      } else {
        log.reject(BadRecord.atRow(file, values.idOrNull(), problem), 1);
      }
    }
    return log.report().skippedCount();
  }

  /** The row group must still be the one listed: a rewritten file would shift every chunk. */
  private void checkUnchanged(List<BlockMetaData> groups) {
    long found = rowGroup < groups.size() ? groups.get(rowGroup).getRowCount() : -1;
    if (found != rowCount) {
      throw new DataFormatException(file, "row group " + rowGroup, (found < 0
          ? "the file has only " + groups.size() + " row group(s)" : "it holds " + found + " rows")
          + " but held " + rowCount + " rows when the data set was listed; the file changed"
          + " during the job: keep the data set unchanged while a job reads it, then run the job"
          + " again");
    }
  }

  @Override
  public String toString() {
    return location();
  }
}
