package io.sparkzero.driver.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link DataSpec#parse(String)}: the three formats, the inferred prefix and the errors. */
class DataSpecTest {

  private static final String FASHION =
      "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

  @Test
  void idxWithDerivedLabels() {
    assertThat(DataSpec.parse("idx:" + FASHION)).isEqualTo(new IdxSpec(FASHION,
        "/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz", 10));
  }

  @Test
  void idxWithExplicitLabelsAndClasses() {
    assertThat(DataSpec.parse("idx:hdfs://nn/a/imgs.bin, labels=hdfs://nn/a/lbls.bin, classes=26"))
        .isEqualTo(new IdxSpec("hdfs://nn/a/imgs.bin", "hdfs://nn/a/lbls.bin", 26));
  }

  @Test
  void idxWithoutLabels() {
    DataSpec spec = DataSpec.parse("idx:" + FASHION + ",labels=none");
    assertThat(spec).isEqualTo(new IdxSpec(FASHION, IdxSpec.NO_LABELS, 10));
    assertThat(spec.labeled()).isFalse();
    assertThat(DataSpec.parse("idx:" + FASHION).labeled()).isTrue();
  }

  @Test
  void idxPrefixInferredFromTheName() {
    assertThat(DataSpec.parse(FASHION)).isEqualTo(IdxSpec.of(FASHION));
    assertThat(DataSpec.parse("file:///d/t10k-images-idx3-ubyte").format())
        .isEqualTo(DataSpec.Format.IDX);
  }

  @Test
  void parquetWithAndWithoutPrefix() {
    assertThat(DataSpec.parse("parquet:hdfs://nn/x.parquet"))
        .isEqualTo(ParquetSpec.of("hdfs://nn/x.parquet"));
    assertThat(DataSpec.parse("hdfs://nn:8020/data/x.parquet/,features=784,classes=100"))
        .isEqualTo(new ParquetSpec("hdfs://nn:8020/data/x.parquet/", 100, OptionalInt.of(784)));
    assertThat(DataSpec.parse("PARQUET:/data/shards").format())
        .isEqualTo(DataSpec.Format.PARQUET);
  }

  @Test
  void syntheticWithAllKeysAndWithDefaults() {
    assertThat(DataSpec.parse("synthetic:n=6000,features=784,classes=10,seed=7"))
        .isEqualTo(new SyntheticSpec(6000, 784, 10, 7, SyntheticSpec.DEFAULT_NOISE));
    assertThat(DataSpec.parse("synthetic:n=5,noise=0.5"))
        .isEqualTo(new SyntheticSpec(5, 784, 10, 0, 0.5));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "''| it is empty",
      "/data/train.csv| cannot tell the format from the name; start it with idx:, parquet: or"
          + " synthetic:",
      "synthetic:features=10| synthetic data needs n=<number of examples>",
      "synthetic:n=ten| n='ten' is not a whole number",
      "synthetic:n=10,color=red| unknown key 'color'; keys allowed here: classes, features, n,"
          + " noise, seed, start",
      "synthetic:n=10,n=20| key 'n' is given twice",
      "synthetic:n=0| synthetic data: n = 0 must be >= 1",
      "synthetic:n=10,noise=-1| synthetic data: noise = -1.0 must lie in [0, 10.0]",
      "parquet:/x.parquet,classes=1| classes = 1 must lie in [2, 1048576]",
      "parquet:/x.parquet,features=0| features = 0 must lie in [1, 16777216]",
      "parquet:/x.parquet,labels=/y| unknown key 'labels'; keys allowed here: classes, features",
      "idx:/d/x-images-idx3-ubyte,classes| 'classes' is not key=value",
      "idx:| the images URI is empty",
      "idx:/d/pixels.bin| cannot derive the labels file from the images file name 'pixels.bin'",
  })
  void errorsQuoteTheSpecAndSayWhatIsWrong(String text, String problem) {
    assertThatThrownBy(() -> DataSpec.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("data spec '" + text + "': " + problem)
        .hasMessageEndingWith("; syntax: " + DataSpecParser.SYNTAX);
  }

  @Test
  void badRecordPolicyOption() {
    assertThat(BadRecordPolicy.parse("fail")).isEqualTo(BadRecordPolicy.FAIL);
    assertThat(BadRecordPolicy.parse(" SKIP ")).isEqualTo(BadRecordPolicy.SKIP);
    assertThat(BadRecordPolicy.SKIP.optionValue()).isEqualTo("skip");
    assertThatThrownBy(() -> BadRecordPolicy.parse("ignore"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data.on-bad-record = 'ignore' is not allowed; use 'fail' (stop at the first"
            + " bad record) or 'skip' (leave bad records out and report them)");
  }
}
