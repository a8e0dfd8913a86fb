package io.sparkzero.report;

/** The stylesheet and the two small scripts every page inlines. */
final class PageAssets {

  private PageAssets() {}

  static final String STYLE = """
      body { font-family: system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
      header { padding: 16px 32px; background: #fff; border-bottom: 1px solid #ddd; }
      h1 { margin: 0 0 4px; font-size: 24px; }
      .subtitle { margin: 0 0 12px; color: #555; }
      .facts { display: flex; flex-wrap: wrap; gap: 12px 32px; margin: 0; }
      .facts dt { font-size: 12px; color: #666; }
      .facts dd { margin: 0; font-size: 18px; font-weight: 600; }
      .notice { padding: 8px 12px; background: #fdecea; border-left: 4px solid #c62828; }
      main { padding: 8px 32px 32px; }
      section { margin-top: 24px; }
      h2 { font-size: 20px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
      h3 { font-size: 15px; margin: 16px 0 4px; }
      figure.chart { margin: 0 0 16px; background: #fff; border: 1px solid #e4e4e4; padding: 8px; }
      .chart-area { width: 100%; height: 340px; }
      .note { color: #666; font-size: 13px; }
      table { border-collapse: collapse; background: #fff; font-size: 13px; }
      th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
      th { background: #f0f0f0; }
      .images { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 8px; }
      .thumb { margin: 0; padding: 2px; border: 2px solid transparent; background: #fff; text-align: center; }
      .thumb.marked { border-color: #2e7d32; }
      .thumb img { display: block; width: 56px; height: 56px; image-rendering: pixelated; }
      .thumb figcaption { width: 56px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
        font-size: 10px; color: #555; }
      """;

  /** Collects script errors where a reader's console or a browser test can find them. */
  static final String ERROR_HOOK = """
      window.__reportErrors = [];
      window.addEventListener('error', function (e) { window.__reportErrors.push(String(e.message)); });
      """;

  /**
   * Draws every {@code [data-chart]} div from the JSON option beside it, as SVG (crisp when
   * zoomed or printed, and countable by a test); a chart that fails says so in its frame.
   */
  static final String INIT = """
      (function () {
        var charts = [];
        document.querySelectorAll('[data-chart]').forEach(function (el) {
          try {
            var option = JSON.parse(document.getElementById(el.id + '-option').textContent);
            var chart = echarts.init(el, null, { renderer: 'svg' });
            chart.setOption(option);
            charts.push(chart);
          } catch (e) {
            window.__reportErrors.push(el.id + ': ' + e);
            el.textContent = 'This chart could not be drawn: ' + e;
          }
        });
        window.addEventListener('resize', function () {
          charts.forEach(function (c) { c.resize(); });
        });
      })();
      """;
}
