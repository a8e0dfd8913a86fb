package io.sparkzero.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChartOptionTest {

  @Test
  void lineChartWritesPairsWithNullForGapsAndARightAxis() {
    LineChart chart = new LineChart("loss-per-epoch", "Loss", "epoch", new double[] {1, 2, 3})
        .leftAxis("loss", false).rightAxis("accuracy").integerX()
        .left("loss", new double[] {2.0, Double.NaN, 1.0})
        .right("accuracy", new double[] {0.5, 0.7, Double.POSITIVE_INFINITY});

    JsonNode option = chart.option();

    assertThat(option.get("animation").asBoolean()).isFalse();
    assertThat(option.at("/xAxis/minInterval").asInt()).isEqualTo(1);
    assertThat(option.get("yAxis")).hasSize(2);
    assertThat(option.at("/yAxis/1/name").asText()).isEqualTo("accuracy");
    JsonNode loss = option.at("/series/0");
    assertThat(loss.get("type").asText()).isEqualTo("line");
    assertThat(loss.get("yAxisIndex").asInt()).isZero();
    assertThat(loss.get("data").toString()).isEqualTo("[[1.0,2.0],[2.0,null],[3.0,1.0]]");
    assertThat(option.at("/series/1/yAxisIndex").asInt()).isEqualTo(1);
    assertThat(option.at("/series/1/data/2/1").isNull()).isTrue();
    assertThat(chart.hasData()).isTrue();
  }

  @Test
  void lineChartLogAxisSingleAxisAndZoomForLongSeries() {
    double[] x = new double[500];
    double[] y = new double[500];
    for (int i = 0; i < x.length; i++) {
      x[i] = i + 1;
      y[i] = 1 << (i % 16);
    }
    JsonNode option = new LineChart("loss-scale", "Loss scale", "step", x)
        .leftAxis("loss scale", true).left("loss scale", y).option();

    assertThat(option.get("yAxis")).hasSize(1);
    assertThat(option.at("/yAxis/0/type").asText()).isEqualTo("log");
    assertThat(option.get("dataZoom")).hasSize(2);
    assertThat(option.at("/series/0/showSymbol").asBoolean()).isFalse();
  }

  @Test
  void chartWithOnlyGapsHasNoData() {
    LineChart chart = new LineChart("lr", "LR", "step", new double[] {1, 2})
        .left("lr", new double[] {Double.NaN, Double.NaN});
    assertThat(chart.hasData()).isFalse();
    assertThat(new BarChart("empty", "E", List.of("a"), false).hasData()).isFalse();
  }

  @Test
  void barChartStacksOrGroups() {
    BarChart stacked = new BarChart("step-time", "Step time", List.of("epoch 1", "epoch 2"), true)
        .axes("epoch", "ms").series("compute", new double[] {10, 12})
        .series("comm", new double[] {3, Double.NaN});
    JsonNode option = stacked.option();
    assertThat(option.at("/xAxis/type").asText()).isEqualTo("category");
    assertThat(option.at("/xAxis/data").toString()).isEqualTo("[\"epoch 1\",\"epoch 2\"]");
    assertThat(option.at("/series/0/stack").asText()).isEqualTo("total");
    assertThat(option.at("/series/1/data").toString()).isEqualTo("[3.0,null]");

    JsonNode grouped = new BarChart("memory", "M", List.of("rank 0"), false)
        .series("planned", new double[] {1}).option();
    assertThat(grouped.at("/series/0").has("stack")).isFalse();
  }

  @Test
  void mismatchedLengthsAndBadKindsAreRefused() {
    assertThatThrownBy(() -> new LineChart("a", "A", "x", new double[] {1})
        .left("y", new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("series 'y'");
    assertThatThrownBy(() -> new BarChart("Not A Kind", "A", List.of(), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not A Kind");
  }

  @Test
  void histogramCountsFiniteValuesInEqualBins() {
    BarChart chart = Histogram.of("scores", "Scores", "score",
        new double[] {0, 0.1, 0.5, 0.9, 1.0, Double.NaN}, 2);
    assertThat(chart.option().at("/series/0/data").toString()).isEqualTo("[2.0,3.0]");
    assertThat(Histogram.of("none", "None", "v", new double[] {Double.NaN}, 3).hasData())
        .isFalse();
  }
}
