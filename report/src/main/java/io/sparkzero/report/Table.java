package io.sparkzero.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A table of text cells: a header row and rows, or key/value pairs. Every cell is escaped. */
public final class Table implements Part {

  private final String title;
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  /** An empty table with a title (may be null) and column headers. */
  public Table(String title, String... headers) {
    this.title = title;
    this.headers = List.of(headers);
  }

  /** A two-column table, one row per entry, in the map's iteration order. */
  public static Table keyValue(String title, Map<String, String> entries) {
    Table table = new Table(title, "key", "value");
    entries.forEach(table::row);
    return table;
  }

  /** Adds a row; null cells are written empty. */
  public Table row(String... cells) {
    rows.add(Arrays.asList(cells));
    return this;
  }

  /** The rows added so far. */
  public int rowCount() {
    return rows.size();
  }

  @Override
  public void appendHtml(StringBuilder html, String id) {
    if (title != null) {
      html.append("<h3>").append(Html.escape(title)).append("</h3>\n");
    }
    html.append("<table id=\"").append(Html.escape(id)).append("\">\n<thead><tr>");
    for (String header : headers) {
      html.append("<th>").append(Html.escape(header)).append("</th>");
    }
    html.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : rows) {
      html.append("<tr>");
      for (String cell : row) {
        html.append("<td>").append(Html.escape(cell)).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody>\n</table>\n");
  }
}
