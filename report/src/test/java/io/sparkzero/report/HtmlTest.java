package io.sparkzero.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class HtmlTest {

  @Test
  void escapesTextAndAttributes() {
    assertThat(Html.escape("<b a=\"1\" c='2'>&amp;</b>"))
        .isEqualTo("&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;amp;&lt;/b&gt;");
    assertThat(Html.escape(null)).isEmpty();
    assertThat(Html.escape("plain text")).isEqualTo("plain text");
  }

  @Test
  void scriptJsonCannotCloseTheScriptElementAndParsesBack() throws Exception {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    String nasty = "</script><script>alert(1)</script><!-- & \u2028\u2029 é";
    node.put("name", nasty);

    String json = Html.scriptJson(node);

    assertThat(json).doesNotContain("</").doesNotContain("<").doesNotContain(">")
        .doesNotContain("&").doesNotContain("\u2028").doesNotContain("\u2029")
        .contains("\\u003C/script\\u003E").contains("\\u2028").contains("é");
    JsonNode back = new ObjectMapper().readTree(json);
    assertThat(back.get("name").asText()).isEqualTo(nasty);
  }
}
