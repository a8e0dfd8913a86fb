package io.sparkzero.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

  private enum Mode { FAST, SLOW }

  private static final BenchOption<Path> DIR =
      BenchOption.required("DIR", new Allowed<>("a directory path", Path::of));
  private static final BenchOption<Long> BYTES = BenchOption.optional("BYTES", 1024L,
      Allowed.longIn(4, Long.MAX_VALUE));
  private static final BenchOption<Integer> RUNS =
      BenchOption.optional("RUNS", 3, Allowed.intIn(1, 10));

  private static final BenchOption<Integer> PROCS =
      BenchOption.flag("--procs", "N", 2, Allowed.intIn(1, Integer.MAX_VALUE));
  private static final BenchOption<List<Double>> SIZES = BenchOption.listFlag("--sizes", "MB",
      List.of(4.0, 80.0), new Allowed<>("a positive number", Double::parseDouble)
          .where(mb -> mb > 0));
  private static final BenchOption<Mode> MODE =
      BenchOption.flag("--mode", "fast|slow", Mode.FAST, Allowed.oneOf(Mode.class));
  private static final BenchOption<List<String>> SET = BenchOption.repeatedFlag("--set",
      "key=value", Allowed.anyText("key=value").where(s -> s.contains("=")));
  private static final BenchOption<Integer> RANK =
      BenchOption.flag("--rank", "R", -1, Allowed.intIn(0, 99)).internal();

  private static BenchArgs positional(String... argv) {
    return BenchArgs.parse("Disk", List.of(DIR, BYTES, RUNS), argv);
  }

  private static BenchArgs flags(String... argv) {
    return BenchArgs.parse("Net", List.of(PROCS, SIZES, MODE, SET, RANK), argv);
  }

  @Nested
  class Positional {
    private static final String USAGE = "usage: Disk DIR [BYTES] [RUNS] (defaults 1024 3)";

    @Test
    void argumentsFillTheOptionsInOrderAndTheRestTakeTheirDefaults() {
      BenchArgs args = positional("/d", "4096");
      assertThat(args.get(DIR)).isEqualTo(Path.of("/d"));
      assertThat(args.get(BYTES)).isEqualTo(4096L);
      assertThat(args.get(RUNS)).isEqualTo(3);
      assertThat(args.usage()).isEqualTo(USAGE);
    }

    @Test
    void aBadValueIsOneLineNamingTheArgumentTheValueAndWhatIsAllowed() {
      assertThatThrownBy(() -> positional("/d", "4k"))
          .hasMessage("BYTES 4k: expected a whole number, at least 4; " + USAGE);
      assertThatThrownBy(() -> positional("/d", "2"))
          .hasMessage("BYTES 2: expected a whole number, at least 4; " + USAGE);
      assertThatThrownBy(() -> positional("/d", "8", "11"))
          .hasMessage("RUNS 11: expected a whole number in 1..10; " + USAGE);
      assertThatThrownBy(() -> positional("/d", ""))
          .hasMessage("BYTES '': expected a whole number, at least 4; " + USAGE);
    }

    @Test
    void aMissingOrSurplusArgumentIsNamed() {
      assertThatThrownBy(() -> positional())
          .hasMessage("missing DIR: expected a directory path; " + USAGE);
      assertThatThrownBy(() -> positional("/d", "8", "1", "extra"))
          .hasMessage("unexpected argument extra; " + USAGE);
    }

    @Test
    void withoutFlagsAnArgumentThatLooksLikeOneIsPositional() {
      assertThat(positional("--d").get(DIR)).isEqualTo(Path.of("--d"));
    }

    @Test
    void aValueTheOthersRuleOutIsRefusedInTheSameForm() {
      BenchArgs args = positional("/d", "1000");
      assertThat(args.invalid(BYTES, 1000L, "a multiple of 16").getMessage())
          .isEqualTo("BYTES 1000: expected a multiple of 16; " + USAGE);
    }
  }

  @Nested
  class Flags {
    private static final String USAGE = "usage: Net [--procs N] [--sizes MB...] [--mode fast|slow]"
        + " [--set key=value]...";

    @Test
    void absentFlagsTakeTheirDefaultsAndInternalOnesStayOutOfTheUsage() {
      BenchArgs args = flags();
      assertThat(args.get(PROCS)).isEqualTo(2);
      assertThat(args.get(SIZES)).containsExactly(4.0, 80.0);
      assertThat(args.get(MODE)).isEqualTo(Mode.FAST);
      assertThat(args.get(SET)).isEmpty();
      assertThat(args.get(RANK)).isEqualTo(-1);
      assertThat(args.usage()).isEqualTo(USAGE);
    }

    @Test
    void aListTakesTheValuesUpToTheNextFlagARepeatedFlagAddsAndALaterValueWins() {
      BenchArgs args = flags("--sizes", "1", "16", "--procs", "3", "--set", "a=1", "--mode",
          "slow", "--rank", "0", "--set", "b=2", "--procs", "4");
      assertThat(args.get(SIZES)).containsExactly(1.0, 16.0);
      assertThat(args.get(PROCS)).isEqualTo(4);
      assertThat(args.get(SET)).containsExactly("a=1", "b=2");
      assertThat(args.get(MODE)).isEqualTo(Mode.SLOW);
      assertThat(args.get(RANK)).isZero();
    }

    @Test
    void aBadValueIsOneLineNamingTheFlagTheValueAndWhatIsAllowed() {
      assertThatThrownBy(() -> flags("--mode", "medium"))
          .hasMessage("--mode medium: expected fast or slow; " + USAGE);
      assertThatThrownBy(() -> flags("--procs", "two"))
          .hasMessage("--procs two: expected a whole number, at least 1; " + USAGE);
      assertThatThrownBy(() -> flags("--sizes", "4", "-1"))
          .hasMessage("--sizes -1: expected a positive number; " + USAGE);
      assertThatThrownBy(() -> flags("--set", "a"))
          .hasMessage("--set a: expected key=value; " + USAGE);
      assertThatThrownBy(() -> flags("--rank", "100"))
          .hasMessage("--rank 100: expected a whole number in 0..99; " + USAGE);
    }

    @Test
    void aFlagWithoutItsValueOrAnUnknownOneIsNamed() {
      assertThatThrownBy(() -> flags("--procs"))
          .hasMessage("--procs without a value: expected a whole number, at least 1; " + USAGE);
      assertThatThrownBy(() -> flags("--sizes", "--procs", "2"))
          .hasMessage("--sizes without a value: expected a positive number; " + USAGE);
      assertThatThrownBy(() -> flags("--proc", "2"))
          .hasMessage("unknown argument --proc; " + USAGE);
      assertThatThrownBy(() -> flags("2"))
          .hasMessage("unexpected argument 2; " + USAGE);
    }
  }

  @Test
  void anOptionOfAnotherCommandIsAProgrammingError() {
    assertThatThrownBy(() -> positional("/d").get(PROCS))
        .hasMessage("--procs is not an option of this benchmark");
  }

  @Test
  void allowedValuesDescribeThemselves() {
    assertThat(Allowed.intIn(1, 1024).description()).isEqualTo("a whole number in 1..1024");
    assertThat(Allowed.longIn(0, Long.MAX_VALUE).description())
        .isEqualTo("a whole number, at least 0");
    assertThat(Allowed.oneOf(Mode.class).description()).isEqualTo("fast or slow");
    assertThat(Allowed.intIn(1, 9).where(i -> i % 2 == 1, "an odd digit").description())
        .isEqualTo("an odd digit");
  }
}
