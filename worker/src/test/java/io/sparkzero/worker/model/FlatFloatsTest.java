package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.testing.TestArrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class FlatFloatsTest {

  @Test
  void setThenGetParamsRoundTrips() {
    TrainableModel model = ModelZoo.build("resnet", 1);
    float[] src = TestArrays.gaussian((int) model.numParams(), 1);

    model.setParams(src);
    float[] dst = new float[src.length];
    model.copyParamsTo(dst);

    assertThat(dst).isEqualTo(src);
    // The copy landed in the live vector, element for element.
    assertThat(model.params().getFloat(0)).isEqualTo(src[0]);
    assertThat(model.params().getFloat(src.length - 1)).isEqualTo(src[src.length - 1]);
    assertThat(model.params().toFloatVector()).isEqualTo(src);
  }

  @Test
  void copiesTheGradientView() {
    TrainableModel model = ModelZoo.build("mlp", 1);
    Random random = new Random(1);
    model.computeGradient(Batches.features(random, 2, 784), Batches.oneHot(random, 2, 10));

    float[] dst = new float[(int) model.numParams()];
    model.copyGradientTo(dst);

    assertThat(dst).isEqualTo(model.gradientView().toFloatVector());
  }

  @Test
  void honoursTheOffsetOfAView() {
    INDArray base = Nd4j.createFromArray(TestArrays.gaussian(100, 2));
    INDArray view = base.get(NDArrayIndex.interval(30, 70));
    float[] values = TestArrays.gaussian(40, 3);

    FlatFloats.copyFrom(values, view);
    float[] back = new float[40];
    FlatFloats.copyTo(view, back);

    assertThat(back).isEqualTo(values);
    assertThat(base.getFloat(30)).isEqualTo(values[0]);
    assertThat(base.getFloat(69)).isEqualTo(values[39]);
  }

  @Test
  void doubleVectorsTakeTheCastPath() {
    INDArray doubles = Nd4j.zeros(DataType.DOUBLE, 5);
    FlatFloats.copyFrom(new float[] {1, 2, 3, 4, 5}, doubles);
    float[] back = new float[5];
    FlatFloats.copyTo(doubles, back);
    assertThat(back).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void wrongLengthIsRejected() {
    TrainableModel model = ModelZoo.build("mlp", 1);
    assertThatThrownBy(() -> model.setParams(new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("50890");
  }

}
