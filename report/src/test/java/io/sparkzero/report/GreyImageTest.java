package io.sparkzero.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class GreyImageTest {

  @Test
  void aSquareCountHasASideAndAnyOtherNone() {
    assertThat(GreyImage.side(784)).isEqualTo(28);
    assertThat(GreyImage.side(1)).isEqualTo(1);
    assertThat(GreyImage.side(3072)).isZero(); // 32 x 32 x 3: colour, not one grey plane
    assertThat(GreyImage.side(0)).isZero();
  }

  @Test
  void thePngDecodesToTheImageScaledByItsOwnRange() throws Exception {
    // A 2 x 2 image in [0, 255]: the smallest value is black, the largest white, row by row.
    BufferedImage image = decode(GreyImage.pngDataUri(new float[] {10, 255, 132.5f, 10}));
    assertThat(image.getWidth()).isEqualTo(2);
    assertThat(image.getHeight()).isEqualTo(2);
    assertThat(grey(image, 0, 0)).isZero();
    assertThat(grey(image, 1, 0)).isEqualTo(255);
    assertThat(grey(image, 0, 1)).isEqualTo(128); // (132.5 − 10) / 245 x 255 = 127.5, rounded up
    // The same picture in [0, 1] gives the same PNG.
    assertThat(GreyImage.pngDataUri(new float[] {0, 1, 0.5f, 0}))
        .isEqualTo(GreyImage.pngDataUri(new float[] {0, 255, 127.5f, 0}));
  }

  @Test
  void aConstantImageIsBlackAndAnOddShapeIsRefused() throws Exception {
    BufferedImage flat = decode(GreyImage.pngDataUri(new float[] {0.3f, 0.3f, 0.3f, 0.3f}));
    assertThat(grey(flat, 1, 1)).isZero();
    assertThatThrownBy(() -> GreyImage.pngDataUri(new float[3])).hasMessage("3 values are not a square grey image");
    assertThatThrownBy(() -> GreyImage.pngDataUri(new float[] {0, Float.NaN, 0, 0}))
        .hasMessageStartingWith("pixel 1 is NaN");
  }

  @Test
  void aStripTakesOnlyInlinedImagesAndMarksTheMarkedOnes() {
    String png = GreyImage.pngDataUri(new float[] {0, 1, 1, 0});
    ImageStrip strip = new ImageStrip("easiest <5>").image(png, "0.01", "id 3 <kept>", true)
        .image(png, "0.02", "id 4", false);
    StringBuilder html = new StringBuilder();
    strip.appendHtml(html, "images");
    assertThat(html.toString()).contains("<h3>easiest &lt;5&gt;</h3>", "id=\"images\"",
        "<figure class=\"thumb marked\" title=\"id 3 &lt;kept&gt;\"><img src=\"" + png + "\"",
        "<figure class=\"thumb\" title=\"id 4\">", "<figcaption>0.02</figcaption>");
    assertThatThrownBy(() -> strip.image("https://example.org/a.png", "", "id 5", false))
        .hasMessageContaining("data:image/png;base64,");
  }

  private static BufferedImage decode(String uri) throws Exception {
    assertThat(uri).startsWith(GreyImage.DATA_URI_PREFIX);
    byte[] png = Base64.getDecoder().decode(uri.substring(GreyImage.DATA_URI_PREFIX.length()));
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  private static int grey(BufferedImage image, int x, int y) {
    return image.getRaster().getSample(x, y, 0);
  }
}
