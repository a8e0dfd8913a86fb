package io.sparkzero.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

  private static String page() {
    HtmlReport report = new HtmlReport("Run <one> & \"two\"").subtitle("sub <i>")
        .fact("status", "ok</dd>").notice("error: </script><script>x()</script>");
    Section s = report.section("Charts");
    s.add(new LineChart("loss", "Loss <per> step", "step", new double[] {1, 2})
        .left("loss </script>", new double[] {1, 0.5}));
    s.add(new LineChart("loss", "Again", "step", new double[] {1}).left("l", new double[] {1}));
    s.chartOr(new BarChart("empty", "Empty", List.of("a"), false), "nothing <measured>");
    s.add(new Table("T", "k", "v").row("<key>", null));
    return report.render();
  }

  @Test
  void inlinesTheLibraryAndReferencesNothingOutside() {
    String html = page();
    assertThat(html).contains(EchartsLibrary.source());
    assertThat(EchartsLibrary.source()).contains("echarts").hasSizeGreaterThan(500_000);
    assertThat(Pattern.compile("(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//",
        Pattern.CASE_INSENSITIVE).matcher(html).find()).isFalse();
    assertThat(html).startsWith("<!DOCTYPE html>").contains("renderer: 'svg'");
  }

  @Test
  void escapesEveryTextAndKeepsScriptsClosedOnlyByTheirOwnTags() {
    String html = page();
    assertThat(html).contains("<title>Run &lt;one&gt; &amp; &quot;two&quot;</title>")
        .contains("sub &lt;i&gt;").contains("ok&lt;/dd&gt;")
        .contains("error: &lt;/script&gt;").contains("Loss &lt;per&gt; step")
        .contains("loss \\u003C/script\\u003E").contains("<td>&lt;key&gt;</td><td></td>")
        .contains("nothing &lt;measured&gt;");
    // Opening and closing script tags pair up: no text closed one early.
    int open = html.split("<script", -1).length - 1;
    int close = html.split("</script>", -1).length - 1;
    assertThat(open).isEqualTo(close).isEqualTo(2 + 2 + 1);
  }

  @Test
  void chartsHaveStableIdsAndDataChartAttributes() {
    String html = page();
    assertThat(html).contains("<div class=\"chart-area\" id=\"chart-loss\" data-chart=\"loss\">")
        .contains("id=\"chart-loss-option\"")
        .contains("id=\"chart-loss-2\" data-chart=\"loss\"")
        .doesNotContain("data-chart=\"empty\"");
    assertThat(page()).isEqualTo(html);
  }
}
