package io.sparkzero.driver.data;

import io.sparkzero.worker.data.LabeledExample;

/**
 * One image and its label as stored in IDX files, before scaling.
 *
 * @param id the image's index in the file, from 0
 * @param label class index, already checked against the number of classes; {@link #NO_LABEL}
 *     when the data spec says {@code labels=none}
 * @param pixels unsigned bytes, row-major
 */
public record IdxRecord(long id, int label, byte[] pixels) {

  /** The label of an image read without labels; the pruning module's {@code UNLABELED} too. */
  public static final int NO_LABEL = -1;

  /** The example a rank trains on: pixels scaled by {@link #scale(byte[])}. */
  public LabeledExample toExample() {
    return new LabeledExample(id, label, scale(pixels));
  }

  /**
   * Unsigned bytes to floats in {@code [0, 1]}: {@code value / 255}. Every byte-encoded source
   * (IDX, Parquet {@code binary}) scales with this one method, so they give identical floats.
   */
  public static float[] scale(byte[] pixels) {
    float[] features = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      features[i] = (pixels[i] & 0xff) / 255f;
    }
    return features;
  }
}
