package io.sparkzero.sharding.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Parsing, checking and showing option values; every refusal names key, value and what is allowed. */
class OptionSpecTest {
  private enum Colour {
    RED,
    DARK_BLUE;

    static Colour named(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    String optionName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static final OptionSpec<Integer> WORKERS =
      OptionSpec.intRange("pool.workers", 4, 1, 64, "Worker threads.");
  private static final OptionSpec<Integer> CHUNK = OptionSpec.intWhere("pool.chunk-bytes", 1024,
      "32..65536, a multiple of 32", v -> v >= 32 && v <= 65536 && v % 32 == 0, "Chunk size.");
  private static final OptionSpec<Long> TERM = OptionSpec.longWhere("pool.term-bytes", 1L << 20,
      "a power of two in 65536..1073741824",
      v -> v >= 65536 && v <= 1L << 30 && Long.bitCount(v) == 1, "Term length.");
  private static final OptionSpec<String> HOST = OptionSpec.stringWhere("pool.host", "127.0.0.1",
      "a host name or address (no wildcard)", h -> !h.isEmpty() && !h.equals("0.0.0.0"),
      "Where to listen.");
  private static final OptionSpec<Colour> COLOUR = OptionSpec.typed("pool.colour", Colour.class,
      Colour.RED, "one of red | dark-blue", Colour::named, Colour::optionName, "Colour.");

  @Test
  void rangesParseTextAndNumbersAndRefuseTheRestNamingKeyValueAndRange() {
    assertThat(WORKERS.parse("8")).isEqualTo(8);
    assertThat(WORKERS.parse(" 8 ")).isEqualTo(8);
    assertThat(WORKERS.parse(16)).isEqualTo(16);
    assertThat(WORKERS.allowed()).isEqualTo("an integer in [1, 64]");
    for (Object bad : new Object[] {"0", 65, "many", 2.5, null}) {
      assertThatThrownBy(() -> WORKERS.parse(bad))
          .isInstanceOf(ConfigException.class)
          .hasMessage("option 'pool.workers': value '" + bad
              + "' is not allowed; expected an integer in [1, 64]");
    }
    assertThat(OptionSpec.longRange("pool.bytes", 0, 0, Long.MAX_VALUE, "Bytes.")
        .parse("9000000000")).isEqualTo(9_000_000_000L);
  }

  @Test
  void numbersCheckedByAPredicateShowTheGivenAllowedText() {
    assertThat(CHUNK.parse("4096")).isEqualTo(4096);
    assertThat(TERM.parse(65536)).isEqualTo(65536L);
    assertThatThrownBy(() -> CHUNK.parse("100"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("option 'pool.chunk-bytes': value '100' is not allowed; expected 32..65536,"
            + " a multiple of 32");
    assertThatThrownBy(() -> CHUNK.parse("99999999999"))
        .hasMessageContaining("'pool.chunk-bytes'").hasMessageContaining("'99999999999'");
    assertThatThrownBy(() -> TERM.parse("100000"))
        .hasMessageContaining("'pool.term-bytes'").hasMessageContaining("'100000'")
        .hasMessageContaining("a power of two in 65536..1073741824");
  }

  @Test
  void stringsCheckedByAPredicateAreTrimmedAndKeepTheirCase() {
    assertThat(HOST.parse(" Node-1 ")).isEqualTo("Node-1");
    assertThatThrownBy(() -> HOST.parse("0.0.0.0"))
        .hasMessage("option 'pool.host': value '0.0.0.0' is not allowed; expected a host name"
            + " or address (no wildcard)");
  }

  @Test
  void checkRefusesAValueBuiltInCodeAsParseRefusesItsText() {
    assertThat(CHUNK.check(64)).isEqualTo(64);
    assertThat(COLOUR.check(Colour.DARK_BLUE)).isEqualTo(Colour.DARK_BLUE);
    assertThatThrownBy(() -> CHUNK.check(100))
        .isInstanceOf(ConfigException.class)
        .hasMessage("option 'pool.chunk-bytes': value '100' is not allowed; expected 32..65536,"
            + " a multiple of 32");
    assertThatThrownBy(() -> HOST.check(null))
        .hasMessage("option 'pool.host': value 'null' is not allowed; expected a host name or"
            + " address (no wildcard)");
    assertThatThrownBy(() -> COLOUR.check(null)).hasMessageContaining("'pool.colour'");
  }

  @Test
  void typedValuesReadInAnyCaseShowInTheirOwnFormAndPassThroughWhenAlreadyRead() {
    assertThat(COLOUR.parse("Dark-Blue")).isEqualTo(Colour.DARK_BLUE);
    assertThat(COLOUR.parse(Colour.RED)).isEqualTo(Colour.RED);
    assertThat(COLOUR.show(Colour.DARK_BLUE)).isEqualTo("dark-blue");
    assertThat(COLOUR.shownDefault()).isEqualTo("red");
    assertThatThrownBy(() -> COLOUR.parse("green"))
        .hasMessage("option 'pool.colour': value 'green' is not allowed; expected one of red |"
            + " dark-blue");
  }

  @Test
  void choicesAreReadInLowerCaseOtherStringsAsGiven() {
    OptionSpec<String> mode = OptionSpec.oneOf("pool.mode", "fast", List.of("fast", "safe"), "Mode.");
    assertThat(mode.parse("SAFE")).isEqualTo("safe");
    assertThatThrownBy(() -> mode.parse("slow")).hasMessageContaining("one of fast | safe");
    OptionSpec<String> name = OptionSpec.string("pool.name", "p", "any name", "Name.");
    assertThat(name.parse("Pool A")).isEqualTo("Pool A");
    assertThatThrownBy(() -> name.parse(" ")).hasMessageContaining("'pool.name'");
    assertThat(OptionSpec.optionalString("pool.tag", "a tag, or empty", "Tag.").parse(""))
        .isEmpty();
  }

  @Test
  void booleansAndDoublesKeepTheirRules() {
    OptionSpec<Boolean> on = OptionSpec.bool("pool.on", false, "On.");
    assertThat(on.parse("TRUE")).isTrue();
    assertThatThrownBy(() -> on.parse("yes")).hasMessageContaining("true | false");
    OptionSpec<Double> rate = OptionSpec.doubleRange("pool.rate", 0.1, 0, 1, "Rate.");
    assertThat(rate.parse("0.5")).isEqualTo(0.5);
    assertThatThrownBy(() -> rate.parse("0")).hasMessageContaining("a number in (0.0, 1.0]");
    assertThatThrownBy(() -> rate.parse("NaN")).hasMessageContaining("'pool.rate'");
    OptionSpec<Double> clip = OptionSpec.optionalDouble("pool.clip", 0, 10, "no clipping", "Clip.");
    assertThat(clip.parse("")).isNaN();
    assertThat(clip.shownDefault()).isEmpty();
    assertThat(OptionSpec.doubleHalfOpen("pool.m", 0.9, 0, 1, "M.").allowed())
        .isEqualTo("a number in [0.0, 1.0)");
    assertThat(OptionSpec.doubleClosed("pool.w", 0, 0, 1, "W.").parse(1)).isEqualTo(1.0);
  }

  @Test
  void aConfigExceptionIsAnIllegalArgumentExceptionThatKnowsItsKey() {
    ConfigException e = new ConfigException("job file", "'x.yaml' does not exist");
    assertThat(e).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("option 'job file': 'x.yaml' does not exist");
    assertThat(e.key()).isEqualTo("job file");
  }
}
