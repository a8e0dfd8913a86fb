package io.sparkzero.report;

/**
 * A paragraph of plain text (escaped when written).
 *
 * @param text the paragraph
 * @param note true to set it in the smaller, muted style of a remark about the data
 */
public record Text(String text, boolean note) implements Part {

  /** A plain paragraph. */
  public static Text of(String text) {
    return new Text(text, false);
  }

  /** A remark about how the data is shown (downsampling, units, what is missing). */
  public static Text note(String text) {
    return new Text(text, true);
  }

  @Override
  public void appendHtml(StringBuilder html, String id) {
    html.append("<p").append(note ? " class=\"note\"" : "").append('>')
        .append(Html.escape(text)).append("</p>\n");
  }
}
