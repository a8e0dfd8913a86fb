package io.sparkzero.driver.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * A small IDX data set written for a test: random pixels and labels, the files named by the MNIST
 * convention ({@code <prefix>-images-idx3-ubyte[.gz]}, {@code <prefix>-labels-idx1-ubyte[.gz]}).
 */
record IdxFixture(Path images, Path labels, int rows, int cols, byte[][] pixels,
    int[] labelValues) {

  static final int IMAGES_HEADER_BYTES = 16;
  static final int LABELS_HEADER_BYTES = 8;

  /** Writes {@code n} random images of {@code rows x cols} and labels below {@code classes}. */
  static IdxFixture write(Path dir, String prefix, int n, int rows, int cols, int classes,
      boolean gzip, long seed) {
    Random random = new Random(seed);
    byte[][] pixels = new byte[n][rows * cols];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      random.nextBytes(pixels[i]);
      labels[i] = random.nextInt(classes);
    }
    String suffix = gzip ? ".gz" : "";
    Path images = dir.resolve(prefix + "-images-idx3-ubyte" + suffix);
    Path labelsFile = dir.resolve(prefix + "-labels-idx1-ubyte" + suffix);
    writeFile(images, maybeGzip(imagesBytes(n, rows, cols, pixels), gzip));
    writeFile(labelsFile, maybeGzip(labelsBytes(n, labels), gzip));
    return new IdxFixture(images, labelsFile, rows, cols, pixels, labels);
  }

  /** The IDX images file: magic 0x803, n, rows, cols, then the pixels. */
  static byte[] imagesBytes(int count, int rows, int cols, byte[][] pixels) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ByteBuffer.allocate(IMAGES_HEADER_BYTES)
        .putInt(0x803).putInt(count).putInt(rows).putInt(cols).array());
    for (byte[] image : pixels) {
      out.writeBytes(image);
    }
    return out.toByteArray();
  }

  /** The IDX labels file: magic 0x801, n, then one byte per label. */
  static byte[] labelsBytes(int count, int[] labels) {
    ByteBuffer buffer = ByteBuffer.allocate(LABELS_HEADER_BYTES + labels.length)
        .putInt(0x801).putInt(count);
    for (int label : labels) {
      buffer.put((byte) label);
    }
    return buffer.array();
  }

  static byte[] maybeGzip(byte[] plain, boolean gzip) {
    if (!gzip) {
      return plain;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static void writeFile(Path path, byte[] content) {
    try {
      Files.write(path, content);
    } catch (IOException e) {
      throw new UncheckedIOException("write " + path, e);
    }
  }

  static byte[] readFile(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new UncheckedIOException("read " + path, e);
    }
  }

  int count() {
    return pixels.length;
  }

  int imageBytes() {
    return rows * cols;
  }

  /** The spec reading this fixture, labels derived from the images file name. */
  IdxSpec spec(int numClasses) {
    return new IdxSpec(images.toString(), IdxSpec.labelsUriFor(images.toString()), numClasses);
  }
}
