package io.sparkzero.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * Escaping for the two places report text lands: HTML text and attributes, and JSON inside a
 * {@code <script>} element.
 */
public final class Html {

  private static final ObjectWriter SCRIPT_JSON =
      new ObjectMapper().writer().with(new ScriptSafeEscapes());

  private Html() {}

  /** {@code text} with {@code & < > " '} replaced by entities; safe in text and in attributes. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * {@code json} serialised so that it can sit inside a {@code <script>} element: {@code <},
   * {@code >} and {@code &} in strings are written as {@code \u003C}-style escapes, so no {@code
   * </script>} or {@code <!--} can end the element early; U+2028 and U+2029 are escaped too.
   */
  public static String scriptJson(JsonNode json) {
    try {
      return SCRIPT_JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      // A tree of Jackson nodes always serialises; reaching here is a bug, not bad input.
      throw new IllegalStateException("cannot serialise a chart option", e);
    }
  }

  /** Jackson's standard escapes, plus the characters that matter inside an HTML script. */
  private static final class ScriptSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    ScriptSafeEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii['<'] = ESCAPE_STANDARD;
      ascii['>'] = ESCAPE_STANDARD;
      ascii['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      // JavaScript before ES2019 ends a line at these two, even inside a string literal.
      if (ch == 0x2028) {
        return new SerializedString("\\u2028");
      }
      if (ch == 0x2029) {
        return new SerializedString("\\u2029");
      }
      return null;
    }
  }
}
