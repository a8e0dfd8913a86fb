package io.sparkzero.report;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * A square grey image (an example's pixels, row by row) as a PNG {@code data:} URI, so that a page
 * shows it without any file beside it. Each image is scaled by its own range, smallest value
 * black, largest white: pixels may come in [0, 1] or [0, 255], and a faint image stays visible.
 */
public final class GreyImage {

  /** What every URI this class makes starts with. */
  public static final String DATA_URI_PREFIX = "data:image/png;base64,";

  private GreyImage() {}

  /** The side of a square image of {@code values} pixels, or 0 when {@code values} is not a square. */
  public static int side(int values) {
    int side = (int) Math.round(Math.sqrt(values));
    return values > 0 && side * side == values ? side : 0;
  }

  /**
   * The PNG of {@code pixels}, a square image row by row, as a data URI. An image with one value
   * throughout is drawn black.
   *
   * @throws IllegalArgumentException when the pixels are not a square image, or one is not finite
   */
  public static String pngDataUri(float[] pixels) {
    int side = side(pixels.length);
    if (side == 0) {
      throw new IllegalArgumentException(pixels.length + " values are not a square grey image");
    }
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < pixels.length; i++) {
      if (!Float.isFinite(pixels[i])) {
        throw new IllegalArgumentException("pixel " + i + " is " + pixels[i] + "; a grey image needs numbers");
      }
      min = Math.min(min, pixels[i]);
      max = Math.max(max, pixels[i]);
    }
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = image.getRaster();
    float range = max - min;
    for (int i = 0; i < pixels.length; i++) {
      int grey = range > 0 ? Math.round(255 * (pixels[i] - min) / range) : 0;
      raster.setSample(i % side, i / side, 0, grey);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      // Into memory, with the JDK's own PNG writer: only a broken JDK gets here.
      throw new UncheckedIOException("cannot encode a " + side + "x" + side + " PNG", e);
    }
    return DATA_URI_PREFIX + Base64.getEncoder().encodeToString(png.toByteArray());
  }
}
