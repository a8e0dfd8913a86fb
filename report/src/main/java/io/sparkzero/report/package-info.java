/**
 * Building blocks of self-contained, offline HTML reports: the training report of the driver and
 * the data-pruning report are made of these.
 *
 * <p>A page ({@link io.sparkzero.report.HtmlReport}) has a title, headline facts and {@link
 * io.sparkzero.report.Section}s of {@link io.sparkzero.report.Part}s: a {@link
 * io.sparkzero.report.LineChart} (numeric x, named series, an optional right axis, an optional
 * log scale), a {@link io.sparkzero.report.BarChart} (categories, grouped or stacked series, and
 * {@link io.sparkzero.report.Histogram} on top of it), a {@link io.sparkzero.report.Table}, an
 * {@link io.sparkzero.report.ImageStrip} of small {@link io.sparkzero.report.GreyImage} PNGs
 * inlined as data URIs, and {@link io.sparkzero.report.Text}. The parts know nothing of training: a report is built by
 * code that reads its own data and hands numbers and words to these classes.
 *
 * <p>Why the page looks the way it does:
 *
 * <ul>
 *   <li><b>One file, no network.</b> The page inlines the ECharts bundle from its webjar ({@link
 *       io.sparkzero.report.EchartsLibrary}), its stylesheet and its data, and references nothing
 *       outside itself: it opens from an archive, a cluster's edge node or a mail attachment,
 *       years later. About 1 MB of it is the library.
 *   <li><b>Data is JSON, never code.</b> Each chart's ECharts option is a Jackson tree, written
 *       into a {@code <script type="application/json">} element beside the chart's div and read
 *       with {@code JSON.parse}; no JSON is assembled from strings. {@link
 *       io.sparkzero.report.Html#scriptJson} escapes {@code <}, {@code >} and {@code &} so no text
 *       in the data (a job name, an error line) can close the script element; all other text is
 *       HTML-escaped by {@link io.sparkzero.report.Html#escape}.
 *   <li><b>Gaps are gaps.</b> A value that was not measured is NaN in Java and null in the
 *       option, which ECharts draws as a break in a line or a missing bar, never as a zero. A
 *       chart with no data at all is replaced by a note ({@link
 *       io.sparkzero.report.Section#chartOr}).
 *   <li><b>Testable in a browser.</b> Every chart div has a stable id ({@code chart-<kind>}) and
 *       a {@code data-chart} attribute; one inline script draws them all with the SVG renderer
 *       and no animation, and collects script errors in {@code window.__reportErrors}, so a
 *       headless browser can check that each chart drew its paths.
 *   <li><b>Long runs stay small.</b> {@link io.sparkzero.report.Downsampled} merges a long series
 *       into at most a given number of mean buckets with their min and max; the page says so.
 * </ul>
 *
 * <p>The module depends on Jackson and the ECharts webjar only: no Spark, no Hadoop. Reading
 * inputs and writing the page to a file system belong to the caller.
 */
package io.sparkzero.report;
