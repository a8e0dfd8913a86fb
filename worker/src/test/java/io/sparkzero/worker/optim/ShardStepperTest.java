package io.sparkzero.worker.optim;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.worker.model.ParamTensor;
import io.sparkzero.worker.model.ParamTensor.Kind;
import io.sparkzero.worker.testing.TestArrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chunked stepper against a plain element-by-element reference: same results bit for bit,
 * whatever the chunking, with running-stat runs that straddle chunk boundaries, native memory, a
 * shard region and blocks whose index 0 is not flat element 0.
 */
class ShardStepperTest {
  private static final int CHUNK = ShardStepper.CHUNK_FLOATS;

  /** weight | running stat straddling the first chunk boundary | bias | stat | weight. */
  private static final List<ParamTensor> TENSORS = List.of(
      new ParamTensor("0_W", 0, CHUNK - 5, Kind.WEIGHT),
      new ParamTensor("1_mean", CHUNK - 5, 10, Kind.RUNNING_STAT),
      new ParamTensor("1_b", CHUNK + 5, 7, Kind.BIAS),
      new ParamTensor("2_var", CHUNK + 12, 3, Kind.RUNNING_STAT),
      new ParamTensor("3_W", CHUNK + 15, 2 * CHUNK + 1, Kind.WEIGHT));
  private static final int N = 3 * CHUNK + 16;

  @Test
  void chunkedAdamOverNativeMemoryMatchesAnElementwiseReference() {
    float[] params = TestArrays.gaussian(N, 1);
    float[] grads = TestArrays.gaussian(N, 2);
    float[] expected = params.clone();
    float[] m = new float[N];
    float[] v = new float[N];
    for (int step = 1; step <= 3; step++) {
      referenceAdam(expected, grads, m, v, step, 0.01f, 0.5f, 0, N);
    }

    FloatBlock p = nativeCopy(params);
    FloatBlock g = nativeCopy(grads);
    ShardStepper stepper = new ShardStepper(new Adam(0.9f, 0.999f, 1e-8f),
        new HeapState(2, N), RegionUpdate.of(TENSORS, 0, N));
    for (int step = 1; step <= 3; step++) {
      stepper.step(p, 0, g, 0, 0.5f, 0.01f);
    }

    float[] actual = new float[N];
    p.copyTo(0, actual, 0, N);
    assertThat(actual).containsExactly(expected);
    float[] gradsAfter = new float[N];
    g.copyTo(0, gradsAfter, 0, N);
    assertThat(gradsAfter).as("gradients are read, never written").containsExactly(grads);
  }

  @Test
  void aShardRegionWithOffsetBlocksTouchesOnlyItsElements() {
    int from = CHUNK - 3;
    int to = 2 * CHUNK + 40;
    float[] params = TestArrays.gaussian(N, 3);
    float[] grads = TestArrays.gaussian(N, 4);
    float[] expected = params.clone();
    float[] m = new float[N];
    float[] v = new float[N];
    referenceAdam(expected, grads, m, v, 1, 0.1f, 1f, from, to);

    // The parameter block holds only the shard; the gradient block holds everything.
    float[] shard = java.util.Arrays.copyOfRange(params, from, to);
    ShardStepper stepper = new ShardStepper(new Adam(0.9f, 0.999f, 1e-8f),
        new HeapState(2, to - from), RegionUpdate.of(TENSORS, from, to));
    stepper.step(FloatBlock.of(shard), from, FloatBlock.of(grads), 0, 1f, 0.1f);

    assertThat(shard).containsExactly(java.util.Arrays.copyOfRange(expected, from, to));
  }

  /** Adam on trained elements, {@code p -= g} on running stats, grads scaled first. */
  private static void referenceAdam(float[] p, float[] g, float[] m, float[] v, int t, float lr,
      float scale, int from, int to) {
    float stepSize = (float) (lr / (1 - Math.pow(0.9f, t)));
    float inv = (float) (1 / Math.sqrt(1 - Math.pow(0.999f, t)));
    for (int i = from; i < to; i++) {
      float gi = g[i] * scale;
      if (kindAt(i) == Kind.RUNNING_STAT) {
        p[i] -= gi;
        continue;
      }
      m[i] = 0.9f * m[i] + (1 - 0.9f) * gi;
      v[i] = 0.999f * v[i] + (1 - 0.999f) * gi * gi;
      p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) * inv + 1e-8f);
    }
  }

  private static Kind kindAt(int i) {
    for (ParamTensor t : TENSORS) {
      if (i >= t.offset() && i < t.offset() + t.length()) {
        return t.kind();
      }
    }
    throw new IllegalArgumentException("no tensor at " + i);
  }


  private static FloatBlock nativeCopy(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
    FloatBlock block = FloatBlock.ofDirect(buffer);
    block.copyFrom(values, 0, 0, values.length);
    return block;
  }

  /**
   * Clipping by the global norm: gradients whose norm over the trained tensors exceeds the clip
   * norm step exactly like those gradients scaled down to it (running statistics are not clipped
   * and do not count), and the report gives the norm and the factor. Tolerance 1e-6 relative.
   */
  @Test
  void clippingScalesTrainedGradientsToTheClipNorm() {
    float[] params = TestArrays.gaussian(N, 3);
    float[] grads = TestArrays.gaussian(N, 4);
    double norm = 0;
    RegionUpdate region = RegionUpdate.of(TENSORS, 0, N);
    for (int r = 0; r < region.runCount(); r++) {
      if (region.runTrained(r)) {
        for (int i = region.runStart(r); i < region.runEnd(r); i++) {
          norm += (double) grads[i] * grads[i];
        }
      }
    }
    norm = Math.sqrt(norm);
    float[] clipped = params.clone();
    StepReport report = new ShardStepper(new SgdMomentum(0f), new HeapState(1, N), region, 1.0)
        .step(FloatBlock.of(clipped), 0, FloatBlock.of(grads), 0, 1f, 0.1f);
    assertThat(report.gradNorm()).isCloseTo(norm, org.assertj.core.api.Assertions.within(1e-6 * norm));
    assertThat(report.clipFactor()).isCloseTo(1.0 / norm,
        org.assertj.core.api.Assertions.within(1e-9));

    float[] scaledGrads = grads.clone();
    for (int r = 0; r < region.runCount(); r++) {
      if (region.runTrained(r)) {
        for (int i = region.runStart(r); i < region.runEnd(r); i++) {
          scaledGrads[i] = (float) (grads[i] / norm);
        }
      }
    }
    float[] reference = params.clone();
    new ShardStepper(new SgdMomentum(0f), new HeapState(1, N), region, 0)
        .step(FloatBlock.of(reference), 0, FloatBlock.of(scaledGrads), 0, 1f, 0.1f);
    for (int i = 0; i < N; i++) {
      assertThat(clipped[i]).isCloseTo(reference[i],
          org.assertj.core.api.Assertions.within(1e-6f * (1 + Math.abs(reference[i]))));
    }
  }

  @Test
  void aNanGradientSkipsTheStepAndLeavesEverythingAlone() {
    float[] params = TestArrays.gaussian(N, 5);
    float[] grads = TestArrays.gaussian(N, 6);
    grads[CHUNK + 20] = Float.NaN;
    float[] before = params.clone();
    Adam adam = new Adam(0.9f, 0.999f, 1e-8f);
    HeapState state = new HeapState(2, N);
    StepReport report = new ShardStepper(adam, state, RegionUpdate.of(TENSORS, 0, N))
        .step(FloatBlock.of(params), 0, FloatBlock.of(grads), 0, 1f, 0.1f);
    assertThat(report.applied()).isFalse();
    assertThat(params).containsExactly(before);
    assertThat(adam.stepCount()).isZero();
    float[] m = new float[N];
    state.read(0, 0, m, 0, N);
    assertThat(m).containsOnly(0f);
  }
}
