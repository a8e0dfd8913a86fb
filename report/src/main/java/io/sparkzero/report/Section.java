package io.sparkzero.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A headed part of a report page: charts, tables and paragraphs, in the order added. */
public final class Section {

  private final String heading;
  private final List<Part> parts = new ArrayList<>();

  Section(String heading) {
    this.heading = heading;
  }

  /** Adds a part. */
  public Section add(Part part) {
    parts.add(part);
    return this;
  }

  /**
   * Adds a chart when it has data, else a note saying what is missing, so that the page never
   * shows an empty frame.
   */
  public Section chartOr(Chart chart, String whenEmpty) {
    return add(chart.hasData() ? chart : Text.note(whenEmpty));
  }

  /** Adds a paragraph. */
  public Section text(String text) {
    return add(Text.of(text));
  }

  /** Adds a remark about the data. */
  public Section note(String text) {
    return add(Text.note(text));
  }

  void appendHtml(StringBuilder html, PartIds ids) {
    html.append("<section>\n<h2>").append(Html.escape(heading)).append("</h2>\n");
    for (Part part : parts) {
      part.appendHtml(html, ids.next(part));
    }
    html.append("</section>\n");
  }

  /** Ids from what a part is, numbered only when a kind repeats, so they survive edits nearby. */
  static final class PartIds {
    private final Map<String, Integer> used = new HashMap<>();

    String next(Part part) {
      String base = part instanceof Chart chart ? "chart-" + chart.kind()
          : part instanceof Table ? "table" : part instanceof ImageStrip ? "images" : "text";
      int n = used.merge(base, 1, Integer::sum);
      return n == 1 ? base : base + "-" + n;
    }
  }
}
