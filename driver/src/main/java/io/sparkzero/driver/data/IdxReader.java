package io.sparkzero.driver.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads an IDX images file and its labels file (MNIST, Fashion-MNIST) in one sequential pass,
 * through the Hadoop {@code FileSystem} API, handing out one {@link IdxRecord} at a time so that
 * the caller decides what to keep.
 *
 * <p>Checks, in order: both headers (fatal), equal counts (fatal), then per example a complete
 * image, a complete label and {@code label < numClasses} (bad records: the {@link
 * BadRecordPolicy} decides), and at the end the gzip trailers (fatal). A file that ends early
 * loses every example from the first incomplete one on; under {@code SKIP} they are all counted
 * as skipped, with one report entry at the offset where the data ran out.
 */
public final class IdxReader {

  private final Configuration hadoopConf;
  private final BadRecordPolicy policy;

  /**
   * @param hadoopConf resolves the file systems of the URIs (on a driver: the Spark context's
   *     {@code hadoopConfiguration()})
   * @param policy what to do with a bad record
   */
  public IdxReader(Configuration hadoopConf, BadRecordPolicy policy) {
    this.hadoopConf = hadoopConf;
    this.policy = policy;
  }

  /**
   * Reads {@code spec}'s images and labels, in file order.
   *
   * @param sink receives each good example, ids ascending
   * @throws DataFormatException for a bad header, mismatched counts, corrupt gzip, or (under
   *     {@code FAIL}) the first bad record
   * @throws UncheckedIOException when a file cannot be opened or read
   */
  public IdxReadResult read(IdxSpec spec, Consumer<IdxRecord> sink) {
    return read(spec, 0, Integer.MAX_VALUE, sink);
  }

  /**
   * The shape of {@code spec}'s data, from the headers alone (the two files' first bytes): what
   * the driver reads before the executors read the examples.
   *
   * @throws DataFormatException for a bad header or mismatched counts
   */
  public IdxLayout layout(IdxSpec spec) {
    try (IdxInput images = IdxInput.open(hadoopConf, spec.imagesUri(), IdxKind.IMAGES.noun())) {
      IdxHeader imagesHeader = IdxHeader.read(images, IdxKind.IMAGES);
      boolean plain = !images.gzipped();
      if (spec.labeled()) {
        try (IdxInput labels = IdxInput.open(hadoopConf, spec.labelsUri(), IdxKind.LABELS.noun())) {
          checkCounts(images, imagesHeader, labels, IdxHeader.read(labels, IdxKind.LABELS));
          plain &= !labels.gzipped();
        }
      }
      return new IdxLayout(imagesHeader.count(), imagesHeader.rows(), imagesHeader.cols(), plain);
    } catch (IOException e) {
      throw new UncheckedIOException("close IDX files of " + spec.imagesUri(), e);
    }
  }

  /**
   * Reads the examples with ids in {@code [from, to)} (clipped to the header's count), in file
   * order: a plain file is entered by seeking, a gzipped one inflated up to {@code from}. The
   * gzip trailers are checked only by a read that reaches the end.
   *
   * @param sink receives each good example, ids ascending
   */
  public IdxReadResult read(IdxSpec spec, int from, int to, Consumer<IdxRecord> sink) {
    if (!spec.labeled()) {
      return readImages(spec, from, to, sink);
    }
    try (IdxInput images = IdxInput.open(hadoopConf, spec.imagesUri(), IdxKind.IMAGES.noun());
        IdxInput labels = IdxInput.open(hadoopConf, spec.labelsUri(), IdxKind.LABELS.noun())) {
      IdxHeader imagesHeader = IdxHeader.read(images, IdxKind.IMAGES);
      IdxHeader labelsHeader = IdxHeader.read(labels, IdxKind.LABELS);
      checkCounts(images, imagesHeader, labels, labelsHeader);
      BadRecordLog log = new BadRecordLog(policy);
      int end = Math.min(to, imagesHeader.count());
      long count = readExamples(images, imagesHeader, labels, labelsHeader, spec.numClasses(),
          log, sink, from, end);
      return new IdxReadResult(count, imagesHeader.rows(), imagesHeader.cols(), log.report());
    } catch (IOException e) {
      throw new UncheckedIOException("close IDX files " + spec.imagesUri() + ", "
          + spec.labelsUri(), e);
    }
  }

  private static void checkCounts(IdxInput images, IdxHeader imagesHeader, IdxInput labels,
      IdxHeader labelsHeader) {
    if (imagesHeader.count() != labelsHeader.count()) {
      throw new DataFormatException(labels.file(), "byte offset 4",
          "the header promises " + labelsHeader.count() + " labels but the images file "
              + images.file() + " promises " + imagesHeader.count() + " images; the two files"
              + " do not belong together: check labels=<uri>");
    }
  }

  /** {@code labels=none}: the images alone, each with {@link IdxRecord#NO_LABEL}. */
  private IdxReadResult readImages(IdxSpec spec, int from, int to, Consumer<IdxRecord> sink) {
    try (IdxInput images = IdxInput.open(hadoopConf, spec.imagesUri(), IdxKind.IMAGES.noun())) {
      IdxHeader header = IdxHeader.read(images, IdxKind.IMAGES);
      BadRecordLog log = new BadRecordLog(policy);
      long count = 0;
      int end = Math.min(to, header.count());
      images.skip((long) from * header.itemBytes());
      for (int id = from; id < end; id++) {
        byte[] pixels = new byte[header.itemBytes()];
        int pixelBytes = images.readFully(pixels);
        if (pixelBytes < pixels.length) {
          log.reject(dataEnds(images, header, id, pixelBytes), end - id);
          return new IdxReadResult(count, header.rows(), header.cols(), log.report());
        }
        sink.accept(new IdxRecord(id, IdxRecord.NO_LABEL, pixels));
        count++;
      }
      if (end == header.count()) {
        images.verifyToEnd();
      }
      return new IdxReadResult(count, header.rows(), header.cols(), log.report());
    } catch (IOException e) {
      throw new UncheckedIOException("close IDX file " + spec.imagesUri(), e);
    }
  }

  private static long readExamples(IdxInput images, IdxHeader imagesHeader, IdxInput labels,
      IdxHeader labelsHeader, int numClasses, BadRecordLog log, Consumer<IdxRecord> sink,
      int from, int to) {
    byte[] label = new byte[1];
    long count = 0;
    images.skip((long) from * imagesHeader.itemBytes());
    labels.skip(from);
    for (int id = from; id < to; id++) {
      byte[] pixels = new byte[imagesHeader.itemBytes()];
      int pixelBytes = images.readFully(pixels);
      if (pixelBytes < pixels.length) {
        log.reject(dataEnds(images, imagesHeader, id, pixelBytes), to - id);
        return count;
      }
      long labelOffset = labels.offsetBytes();
      if (labels.readFully(label) < 1) {
        log.reject(dataEnds(labels, labelsHeader, id, 0), to - id);
        return count;
      }
      int value = label[0] & 0xff;
      if (value >= numClasses) {
        log.reject(BadRecord.atByteOffset(labels.file(), labelOffset, "label " + value
            + " of example id " + id + " is outside [0, " + numClasses + "); raise classes=N if"
            + " the data set has more classes"), 1);
        continue;
      }
      sink.accept(new IdxRecord(id, value, pixels));
      count++;
    }
    if (to == imagesHeader.count()) {
      images.verifyToEnd();
      labels.verifyToEnd();
    }
    return count;
  }

  private static BadRecord dataEnds(IdxInput in, IdxHeader header, int id, int bytesOfItem) {
    IdxKind kind = header.kind();
    return BadRecord.atByteOffset(in.file(), in.offsetBytes(), "data ends here" + in.endOfDataNote()
        + ", " + bytesOfItem + " of " + header.itemBytes() + " bytes into " + kind.singular()
        + " id " + id + " (ids count from 0), but the header promises " + header.count() + " "
        + kind.noun() + ": " + header.expectedLengthBytes() + " bytes uncompressed; the file is"
        + " truncated, so " + (header.count() - id) + " example(s) from id " + id + " on are"
        + " missing");
  }
}
