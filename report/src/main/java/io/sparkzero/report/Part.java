package io.sparkzero.report;

/** One block of a report section: a chart, a table or a paragraph. */
public interface Part {

  /**
   * Appends this part's HTML.
   *
   * @param html the page being written
   * @param id an id unique in the page, stable from one rendering of the same report to the next
   */
  void appendHtml(StringBuilder html, String id);
}
