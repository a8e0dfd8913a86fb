package io.sparkzero.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Bars over named categories, one or more named series, side by side (grouped) or on top of each
 * other (stacked). A NaN value is a missing bar, never a zero-height one.
 */
public final class BarChart extends Chart {

  private final List<String> categories;
  private final List<Series> series = new ArrayList<>();
  private final boolean stacked;
  private String xName;
  private String yName;

  private record Series(String name, double[] values) {}

  /**
   * @param kind the {@code data-chart} value (see {@link Chart#Chart})
   * @param title shown above the chart
   * @param categories one per bar group, left to right
   * @param stacked true to stack the series, false to set them side by side
   */
  public BarChart(String kind, String title, List<String> categories, boolean stacked) {
    super(kind, title);
    this.categories = List.copyOf(categories);
    this.stacked = stacked;
  }

  /** Names the axes (either may be null). */
  public BarChart axes(String xName, String yName) {
    this.xName = xName;
    this.yName = yName;
    return this;
  }

  /** A series: one value per category. */
  public BarChart series(String name, double[] values) {
    if (values.length != categories.size()) {
      throw new IllegalArgumentException("series '" + name + "' has " + values.length
          + " values for " + categories.size() + " categories");
    }
    series.add(new Series(name, values.clone()));
    return this;
  }

  @Override
  public boolean hasData() {
    return series.stream().anyMatch(s -> ChartOptions.anyFinite(s.values));
  }

  @Override
  public ObjectNode option() {
    ObjectNode option = ChartOptions.frame("axis");
    ObjectNode xAxis = ChartOptions.nameBelow(option.putObject("xAxis").put("type", "category"));
    if (xName != null) {
      xAxis.put("name", xName);
    }
    ArrayNode labels = xAxis.putArray("data");
    categories.forEach(labels::add);
    option.set("yAxis", ChartOptions.valueAxis(yName, false, false));
    ArrayNode out = option.putArray("series");
    for (Series s : series) {
      ObjectNode bar = out.addObject().put("type", "bar").put("name", s.name);
      if (stacked) {
        bar.put("stack", "total");
      }
      ArrayNode data = bar.putArray("data");
      for (double v : s.values) {
        ChartOptions.addNumber(data, v);
      }
    }
    return option;
  }
}
