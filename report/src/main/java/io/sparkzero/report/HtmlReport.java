package io.sparkzero.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML report page: a title, a subtitle, headline facts, an optional notice,
 * and sections of charts and tables. The page inlines its stylesheet, the ECharts library and
 * the chart data, so it is one file that opens offline.
 */
public final class HtmlReport {

  private final String title;
  private String subtitle;
  private String notice;
  private final List<String[]> facts = new ArrayList<>();
  private final List<Section> sections = new ArrayList<>();

  /** A page titled {@code title}. */
  public HtmlReport(String title) {
    this.title = title;
  }

  /** A line under the title. */
  public HtmlReport subtitle(String text) {
    this.subtitle = text;
    return this;
  }

  /** A headline figure shown under the title ({@code status: ok}). */
  public HtmlReport fact(String label, String value) {
    facts.add(new String[] {label, value});
    return this;
  }

  /** A highlighted line under the facts, for what the reader must see first (an error). */
  public HtmlReport notice(String text) {
    this.notice = text;
    return this;
  }

  /** Adds a section and returns it to be filled. */
  public Section section(String heading) {
    Section section = new Section(heading);
    sections.add(section);
    return section;
  }

  /** The whole page. */
  public String render() {
    StringBuilder html = new StringBuilder(EchartsLibrary.source().length() + 64 * 1024);
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(Html.escape(title)).append("</title>\n")
        .append("<style>\n").append(PageAssets.STYLE).append("</style>\n")
        .append("<script>\n").append(PageAssets.ERROR_HOOK).append("</script>\n")
        .append("<script>\n").append(EchartsLibrary.source()).append("\n</script>\n")
        .append("</head>\n<body>\n<header>\n<h1>").append(Html.escape(title)).append("</h1>\n");
    if (subtitle != null) {
      html.append("<p class=\"subtitle\">").append(Html.escape(subtitle)).append("</p>\n");
    }
    html.append("<dl class=\"facts\">\n");
    for (String[] fact : facts) {
      html.append("<div><dt>").append(Html.escape(fact[0])).append("</dt><dd>")
          .append(Html.escape(fact[1])).append("</dd></div>\n");
    }
    html.append("</dl>\n");
    if (notice != null) {
      html.append("<p class=\"notice\">").append(Html.escape(notice)).append("</p>\n");
    }
    html.append("</header>\n<main>\n");
    Section.PartIds ids = new Section.PartIds();
    for (Section section : sections) {
      section.appendHtml(html, ids);
    }
    html.append("</main>\n<script>\n").append(PageAssets.INIT).append("</script>\n")
        .append("</body>\n</html>\n");
    return html.toString();
  }
}
