package io.sparkzero.report;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A chart: a titled {@code <div>} that the page's script draws with ECharts from an option object.
 *
 * <p>The option travels as JSON in a {@code <script type="application/json">} element next to the
 * div, read with {@code JSON.parse}: the data is never evaluated as code, and it is escaped for
 * the script element by {@link Html#scriptJson}.
 */
public abstract class Chart implements Part {

  private final String kind;
  private final String title;

  /**
   * @param kind what the chart shows, in a few lowercase words joined by dashes ({@code
   *     loss-per-step}); written as the div's {@code data-chart} and part of its id
   * @param title shown above the chart
   */
  protected Chart(String kind, String title) {
    if (!kind.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException("chart kind '" + kind + "': expected lowercase words"
          + " joined by dashes");
    }
    this.kind = kind;
    this.title = title;
  }

  /** The {@code data-chart} value. */
  public final String kind() {
    return kind;
  }

  /** The ECharts option object: axes, series and their data. */
  public abstract ObjectNode option();

  /** True when at least one series holds at least one point that is not a gap. */
  public abstract boolean hasData();

  @Override
  public final void appendHtml(StringBuilder html, String id) {
    html.append("<figure class=\"chart\">\n<h3>").append(Html.escape(title)).append("</h3>\n")
        .append("<div class=\"chart-area\" id=\"").append(Html.escape(id))
        .append("\" data-chart=\"").append(Html.escape(kind)).append("\"></div>\n")
        .append("<script type=\"application/json\" id=\"").append(Html.escape(id))
        .append("-option\">").append(Html.scriptJson(option())).append("</script>\n</figure>\n");
  }
}
