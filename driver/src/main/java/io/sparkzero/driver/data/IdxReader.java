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
    if (!spec.labeled()) {
      return readImages(spec, sink);
    }
    try (IdxInput images = IdxInput.open(hadoopConf, spec.imagesUri(), IdxKind.IMAGES.noun());
        IdxInput labels = IdxInput.open(hadoopConf, spec.labelsUri(), IdxKind.LABELS.noun())) {
      IdxHeader imagesHeader = IdxHeader.read(images, IdxKind.IMAGES);
      IdxHeader labelsHeader = IdxHeader.read(labels, IdxKind.LABELS);
      if (imagesHeader.count() != labelsHeader.count()) {
        throw new DataFormatException(labels.file(), "byte offset 4",
            "the header promises " + labelsHeader.count() + " labels but the images file "
                + images.file() + " promises " + imagesHeader.count() + " images; the two files"
                + " do not belong together: check labels=<uri>");
      }
      BadRecordLog log = new BadRecordLog(policy);
      long count = readExamples(images, imagesHeader, labels, labelsHeader, spec.numClasses(),
          log, sink);
      return new IdxReadResult(count, imagesHeader.rows(), imagesHeader.cols(), log.report());
    } catch (IOException e) {
      throw new UncheckedIOException("close IDX files " + spec.imagesUri() + ", "
          + spec.labelsUri(), e);
    }
  }

  /** {@code labels=none}: the images alone, each with {@link IdxRecord#NO_LABEL}. */
  private IdxReadResult readImages(IdxSpec spec, Consumer<IdxRecord> sink) {
    try (IdxInput images = IdxInput.open(hadoopConf, spec.imagesUri(), IdxKind.IMAGES.noun())) {
      IdxHeader header = IdxHeader.read(images, IdxKind.IMAGES);
      BadRecordLog log = new BadRecordLog(policy);
      long count = 0;
      for (int id = 0; id < header.count(); id++) {
        byte[] pixels = new byte[header.itemBytes()];
        int pixelBytes = images.readFully(pixels);
        if (pixelBytes < pixels.length) {
          log.reject(dataEnds(images, header, id, pixelBytes), header.count() - id);
          return new IdxReadResult(count, header.rows(), header.cols(), log.report());
        }
        sink.accept(new IdxRecord(id, IdxRecord.NO_LABEL, pixels));
        count++;
      }
      images.verifyToEnd();
      return new IdxReadResult(count, header.rows(), header.cols(), log.report());
    } catch (IOException e) {
      throw new UncheckedIOException("close IDX file " + spec.imagesUri(), e);
    }
  }

  private static long readExamples(IdxInput images, IdxHeader imagesHeader, IdxInput labels,
      IdxHeader labelsHeader, int numClasses, BadRecordLog log, Consumer<IdxRecord> sink) {
    byte[] label = new byte[1];
    long count = 0;
    for (int id = 0; id < imagesHeader.count(); id++) {
      byte[] pixels = new byte[imagesHeader.itemBytes()];
      int pixelBytes = images.readFully(pixels);
      if (pixelBytes < pixels.length) {
        log.reject(dataEnds(images, imagesHeader, id, pixelBytes), imagesHeader.count() - id);
        return count;
      }
      long labelOffset = labels.offsetBytes();
      if (labels.readFully(label) < 1) {
        log.reject(dataEnds(labels, labelsHeader, id, 0), imagesHeader.count() - id);
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
    images.verifyToEnd();
    labels.verifyToEnd();
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
