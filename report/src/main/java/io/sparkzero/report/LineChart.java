package io.sparkzero.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines over a numeric x axis (steps, epochs), one or more named series, on a left and optionally
 * a right y axis. A NaN value is a gap in its line, never a zero.
 */
public final class LineChart extends Chart {

  /** Series with up to this many points are drawn with a marker on each point. */
  private static final int MAX_POINTS_WITH_SYMBOLS = 60;

  private final String xName;
  private final double[] x;
  private final List<Series> series = new ArrayList<>();
  private String leftName;
  private String rightName;
  private boolean leftLog;
  private boolean integerX;

  /** One line: its values match the chart's x values one for one. */
  private record Series(String name, double[] values, boolean right, boolean thin) {}

  /**
   * @param kind the {@code data-chart} value (see {@link Chart#Chart})
   * @param title shown above the chart
   * @param xName the x axis name
   * @param x the x values, ascending
   */
  public LineChart(String kind, String title, String xName, double[] x) {
    super(kind, title);
    this.xName = xName;
    this.x = x.clone();
  }

  /** Names the left y axis; {@code log} makes it logarithmic (its values must be positive). */
  public LineChart leftAxis(String name, boolean log) {
    this.leftName = name;
    this.leftLog = log;
    return this;
  }

  /** Names the right y axis, used by {@link #right} series. */
  public LineChart rightAxis(String name) {
    this.rightName = name;
    return this;
  }

  /** Marks x as whole numbers (epochs), so the axis has no fractional ticks. */
  public LineChart integerX() {
    this.integerX = true;
    return this;
  }

  /** A line on the left axis. */
  public LineChart left(String name, double[] values) {
    return add(new Series(name, values, false, false));
  }

  /** A line on the right axis. */
  public LineChart right(String name, double[] values) {
    return add(new Series(name, values, true, false));
  }

  /** A thin dashed line on the left axis, for an envelope such as a bucket's min or max. */
  public LineChart thin(String name, double[] values) {
    return add(new Series(name, values, false, true));
  }

  private LineChart add(Series s) {
    if (s.values.length != x.length) {
      throw new IllegalArgumentException("series '" + s.name + "' has " + s.values.length
          + " values for " + x.length + " x values");
    }
    series.add(new Series(s.name, s.values.clone(), s.right, s.thin));
    return this;
  }

  @Override
  public boolean hasData() {
    return series.stream().anyMatch(s -> ChartOptions.anyFinite(s.values));
  }

  @Override
  public ObjectNode option() {
    ObjectNode option = ChartOptions.frame("axis");
    ObjectNode xAxis = ChartOptions.nameBelow(ChartOptions.valueAxis(xName, false, true));
    if (integerX) {
      xAxis.put("minInterval", 1);
    }
    option.set("xAxis", xAxis);
    ArrayNode yAxes = option.putArray("yAxis");
    yAxes.add(ChartOptions.valueAxis(leftName, leftLog, true));
    if (series.stream().anyMatch(Series::right)) {
      yAxes.add(ChartOptions.valueAxis(rightName, false, true).put("position", "right"));
    }
    if (x.length > MAX_POINTS_WITH_SYMBOLS) {
      // Zoom by wheel or by the slider: a long run has more detail than the width shows.
      ArrayNode zoom = option.putArray("dataZoom");
      zoom.addObject().put("type", "inside");
      zoom.addObject().put("type", "slider").put("bottom", 10);
      ((ObjectNode) option.get("grid")).put("bottom", 80);
    }
    ArrayNode out = option.putArray("series");
    for (Series s : series) {
      ObjectNode line = out.addObject().put("type", "line").put("name", s.name)
          .put("yAxisIndex", s.right ? 1 : 0).put("connectNulls", false)
          .put("showSymbol", x.length <= MAX_POINTS_WITH_SYMBOLS && !s.thin);
      if (s.thin) {
        line.putObject("lineStyle").put("width", 1).put("type", "dashed").put("opacity", 0.6);
      }
      ArrayNode data = line.putArray("data");
      for (int i = 0; i < x.length; i++) {
        ArrayNode point = data.addArray();
        point.add(x[i]);
        ChartOptions.addNumber(point, s.values[i]);
      }
    }
    return option;
  }
}
