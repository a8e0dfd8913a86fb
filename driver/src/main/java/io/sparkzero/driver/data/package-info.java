/**
 * The data sources of the driver: IDX files, Parquet and seeded synthetic data, each loaded into
 * a {@code JavaRDD<LabeledExample>} by {@link io.sparkzero.driver.data.DataSources#load} (data
 * the ranks hold), or listed as chunks by {@link io.sparkzero.driver.data.DataSources#chunks}
 * (data the ranks stream, {@code data.mode stream}).
 *
 * <h2>Shape</h2>
 *
 * <ul>
 *   <li>{@link io.sparkzero.driver.data.DataSpec} is a sealed interface with one record per
 *       format rather than one record with fields that only some formats use; its string form
 *       ({@code idx:...}, {@code parquet:...}, {@code synthetic:...}) is what job files and the
 *       command line carry.
 *   <li>IDX is read by the executors ({@link io.sparkzero.driver.data.IdxSource}): plain files in
 *       byte ranges, a gzipped file by one task, as it cannot be entered mid-stream. {@link
 *       io.sparkzero.driver.data.IdxReader} streams one record at a time so the same reader serves
 *       the loader (floats) and the Parquet importer (bytes, never scaled and rounded back).
 *   <li>Streamed chunks ({@link io.sparkzero.worker.data.ExampleChunk}) are listed from metadata
 *       only and read on the executors through the Hadoop API, without Spark: a Parquet row group
 *       by parquet-hadoop with converters for the three columns ({@link
 *       io.sparkzero.driver.data.ParquetRowMaterializer}, no generic record objects), checked by
 *       the same rules as Spark SQL's load ({@link io.sparkzero.driver.data.ParquetRowRules}); a
 *       run of ids of a plain IDX pair by {@link io.sparkzero.driver.data.IdxReader}'s byte
 *       ranges. The chunks of one list share one serializable Hadoop configuration, written once
 *       when the list is serialized whole (the driver broadcasts it so).
 *   <li>Parquet is read on the executors. Bad rows are found with one SQL aggregation that tags
 *       each row with its problem; only when there are some does a second small query fetch the
 *       first few with {@code input_file_name()}. A count rather than an accumulator, because the
 *       load has to count the rows anyway and a count cannot be double-applied by task retries.
 *   <li>Synthetic examples are a pure function of {@code (spec, id)}, so the data do not depend on
 *       partitioning.
 * </ul>
 *
 * <h2>Bad data</h2>
 *
 * {@link io.sparkzero.driver.data.BadRecordPolicy} ({@code data.on-bad-record}) applies to single
 * records: a truncated last image or label, a label out of range, a Parquet row with a null,
 * out-of-range or wrongly sized value. Damage that makes everything after it suspect is fatal
 * under both policies: a bad IDX header, images and labels counts that differ, a corrupt gzip
 * stream or a missing gzip trailer (the CRC is checked by reading each gzip stream to its end),
 * a Parquet schema without the expected columns and types. Every error is a {@link
 * io.sparkzero.driver.data.DataFormatException} naming the file, the byte offset (in the
 * uncompressed stream, unless it says "compressed"), row id or column, and what was expected.
 */
package io.sparkzero.driver.data;
