package io.sparkzero.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The option pieces every chart shares: the frame, axes, and numbers that may be gaps. */
final class ChartOptions {

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ChartOptions() {}

  /**
   * An option with a tooltip, a legend, room for axis names, and no animation: a report is read,
   * not watched, and a chart that is drawn at once is what a browser test can check.
   */
  /** ECharts' default nine colours, then a brown. */
  private static final String[] PALETTE = {"#5470c6", "#91cc75", "#fac858", "#ee6666",
      "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc", "#8c564b"};

  static ObjectNode frame(String tooltipTrigger) {
    ObjectNode option = NODES.objectNode();
    option.put("animation", false);
    // Ten distinguishable colours (ECharts' default has nine, so a tenth class repeated the
    // first): one per class of a ten-class data set.
    com.fasterxml.jackson.databind.node.ArrayNode colors = option.putArray("color");
    for (String c : PALETTE) {
      colors.add(c);
    }
    option.putObject("tooltip").put("trigger", tooltipTrigger);
    option.putObject("legend").put("type", "scroll").put("top", 0);
    option.putObject("grid").put("left", 70).put("right", 70).put("top", 40).put("bottom", 50)
        .put("containLabel", false);
    return option;
  }

  /** A value axis; {@code log} makes it logarithmic, {@code scale} lets it start above zero. */
  static ObjectNode valueAxis(String name, boolean log, boolean scale) {
    ObjectNode axis = NODES.objectNode();
    axis.put("type", log ? "log" : "value");
    if (name != null) {
      axis.put("name", name);
    }
    if (scale && !log) {
      axis.put("scale", true);
    }
    return axis;
  }

  /** Names an x axis below its labels, centred, as plots are read. */
  static ObjectNode nameBelow(ObjectNode axis) {
    return axis.put("nameLocation", "middle").put("nameGap", 28);
  }

  /** Adds {@code value}, or null for NaN and infinities: ECharts draws null as a gap. */
  static void addNumber(ArrayNode array, double value) {
    if (Double.isFinite(value)) {
      array.add(value);
    } else {
      array.addNull();
    }
  }

  /** True when {@code values} holds a finite number. */
  static boolean anyFinite(double[] values) {
    for (double v : values) {
      if (Double.isFinite(v)) {
        return true;
      }
    }
    return false;
  }
}
