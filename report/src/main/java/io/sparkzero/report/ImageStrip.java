package io.sparkzero.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A titled row of small images, each with a caption under it and a tooltip; a marked image gets a
 * coloured border (in the pruning report: a kept example). Only {@link GreyImage} data URIs are
 * taken, so the page never points at a file or a server.
 */
public final class ImageStrip implements Part {

  private final String title;
  private final List<Image> images = new ArrayList<>();

  private record Image(String dataUri, String caption, String tooltip, boolean marked) {}

  /** An empty strip under {@code title}. */
  public ImageStrip(String title) {
    this.title = title;
  }

  /**
   * Adds an image.
   *
   * @param dataUri a PNG data URI, as {@link GreyImage#pngDataUri} makes
   * @param caption a few words under the image
   * @param tooltip shown on hover, and the image's alternative text
   * @param marked true to draw the image with the marked border
   */
  public ImageStrip image(String dataUri, String caption, String tooltip, boolean marked) {
    if (!dataUri.startsWith(GreyImage.DATA_URI_PREFIX)) {
      throw new IllegalArgumentException("image '" + tooltip + "': expected a " + GreyImage.DATA_URI_PREFIX
          + " URI, so the page stays one file");
    }
    images.add(new Image(dataUri, caption, tooltip, marked));
    return this;
  }

  /** The images added so far. */
  public int size() {
    return images.size();
  }

  @Override
  public void appendHtml(StringBuilder html, String id) {
    html.append("<h3>").append(Html.escape(title)).append("</h3>\n<div class=\"images\" id=\"")
        .append(Html.escape(id)).append("\">\n");
    for (Image image : images) {
      html.append("<figure class=\"thumb").append(image.marked ? " marked" : "").append("\" title=\"")
          .append(Html.escape(image.tooltip)).append("\"><img src=\"").append(image.dataUri)
          .append("\" alt=\"").append(Html.escape(image.tooltip)).append("\"><figcaption>")
          .append(Html.escape(image.caption)).append("</figcaption></figure>\n");
    }
    html.append("</div>\n");
  }
}
