package io.sparkzero.driver.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The labels file name derived from the images file name. */
class IdxSpecTest {

  @Test
  void derivesTheLabelsFileByTheMnistConvention() {
    assertThat(IdxSpec.labelsUriFor("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
        .isEqualTo("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz");
    assertThat(IdxSpec.labelsUriFor("hdfs://nn:8020/mnist/t10k-images-idx3-ubyte"))
        .isEqualTo("hdfs://nn:8020/mnist/t10k-labels-idx1-ubyte");
    assertThat(IdxSpec.labelsUriFor("file:///data/train-images.idx3-ubyte"))
        .isEqualTo("file:///data/train-labels.idx1-ubyte");
  }

  @Test
  void onlyTheFileNameIsRewritten() {
    assertThat(IdxSpec.labelsUriFor("/images-idx3/x-images-idx3-ubyte"))
        .isEqualTo("/images-idx3/x-labels-idx1-ubyte");
  }

  @Test
  void aNameWithoutTheConventionNeedsExplicitLabels() {
    assertThatThrownBy(() -> IdxSpec.labelsUriFor("/data/pixels.bin"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot derive the labels file from the images file name 'pixels.bin'"
            + " (/data/pixels.bin): it does not contain 'images-idx3'; give the labels file"
            + " explicitly (labels=<uri> in the data spec, --labels on the command line)");
  }
}
