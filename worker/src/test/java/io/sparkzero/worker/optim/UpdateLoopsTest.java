package io.sparkzero.worker.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The vector loops against the scalar ones: the same bits for every element, over windows whose
 * lengths are not a multiple of any vector width, at offsets that differ between the parameter
 * and state arrays, with values from tiny (subnormal moments) to large, zero gradients and
 * excluded tensors' zero decay. Runs where the JVM has {@code jdk.incubator.vector} (the suite's
 * JVMs do); {@link #theSuiteRunsTheVectorLoops} fails where it does not, so the comparison is
 * never skipped silently.
 */
class UpdateLoopsTest {
  private static final int[] LENGTHS = {0, 1, 7, 15, 16, 17, 63, 1000, 4099};

  @Test
  void theSuiteRunsTheVectorLoops() {
    assertThat(UpdateLoops.VECTOR)
        .as("jdk.incubator.vector in the test JVM (the parent pom's test.argLine adds it)")
        .isTrue();
  }

  @Test
  void adamGivesTheScalarLoopsBits() {
    for (int n : LENGTHS) {
      same(n, 2, a -> UpdateLoops.scalarAdam(a.p, a.g, 3, a.state[0], a.state[1], 5, n, 0.9f,
              0.999f, 1e-8f, 0.0123f, 1.37f),
          a -> VectorUpdateLoops.adam(a.p, a.g, 3, a.state[0], a.state[1], 5, n, 0.9f, 0.999f,
              1e-8f, 0.0123f, 1.37f));
    }
  }

  @Test
  void sgdGivesTheScalarLoopsBits() {
    for (int n : LENGTHS) {
      same(n, 1, a -> UpdateLoops.scalarSgd(a.p, a.g, 3, a.state[0], 5, n, 0.9f, 0.05f),
          a -> VectorUpdateLoops.sgd(a.p, a.g, 3, a.state[0], 5, n, 0.9f, 0.05f));
    }
  }

  @Test
  void larsGivesTheScalarLoopsBits() {
    for (int n : LENGTHS) {
      for (float beta : new float[] {0f, 5e-4f}) {
        same(n, 1, a -> UpdateLoops.scalarLars(a.p, a.g, 3, a.state[0], 5, n, 0.9f, 0.37f, beta),
            a -> VectorUpdateLoops.lars(a.p, a.g, 3, a.state[0], 5, n, 0.9f, 0.37f, beta));
      }
    }
  }

  @Test
  void lambGivesTheScalarLoopsBits() {
    for (int n : LENGTHS) {
      for (float lambda : new float[] {0f, 0.01f}) {
        same(n, 2, a -> {
          UpdateLoops.scalarMoments(a.g, 3, a.state[0], a.state[1], 5, n, 0.9f, 0.999f);
          UpdateLoops.scalarLambApply(a.p, 3, a.state[0], a.state[1], 5, n, 0.021f, lambda,
              10f, 1000f, 1e-6f);
        }, a -> {
          VectorUpdateLoops.moments(a.g, 3, a.state[0], a.state[1], 5, n, 0.9f, 0.999f);
          VectorUpdateLoops.lambApply(a.p, 3, a.state[0], a.state[1], 5, n, 0.021f, lambda,
              10f, 1000f, 1e-6f);
        });
      }
    }
  }

  /** Arrays for one window: parameters and gradients from offset 3, state from offset 5. */
  private record Arrays(float[] p, float[] g, float[][] state) {
    Arrays copy() {
      float[][] s = new float[state.length][];
      for (int k = 0; k < s.length; k++) {
        s[k] = state[k].clone();
      }
      return new Arrays(p.clone(), g.clone(), s);
    }
  }

  private static void same(int n, int slots, Consumer<Arrays> scalar, Consumer<Arrays> vector) {
    Arrays start = random(n, slots, 31L * n + slots);
    Arrays a = start.copy();
    Arrays b = start.copy();
    for (int step = 0; step < 3; step++) { // later steps start from the updated state
      scalar.accept(a);
      vector.accept(b);
    }
    assertThat(b.p).as("parameters, n=%d", n).isEqualTo(a.p);
    for (int k = 0; k < slots; k++) {
      assertThat(b.state[k]).as("state slot %d, n=%d", k, n).isEqualTo(a.state[k]);
    }
    assertThat(b.g).isEqualTo(start.g);
  }

  private static Arrays random(int n, int slots, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] p = new float[n + 9];
    float[] g = new float[n + 9];
    float[][] state = new float[slots][n + 11];
    for (int i = 0; i < p.length; i++) {
      p[i] = value(random);
      g[i] = i % 13 == 0 ? 0f : value(random);
    }
    for (float[] s : state) {
      for (int i = 0; i < s.length; i++) {
        s[i] = i % 11 == 0 ? Float.MIN_VALUE * (i + 1) : Math.abs(value(random));
      }
    }
    return new Arrays(p, g, state);
  }

  /** Magnitudes from 1e-30 to 1e3, either sign. */
  private static float value(SplittableRandom random) {
    double magnitude = Math.pow(10, random.nextDouble(-30, 3));
    return (float) (random.nextBoolean() ? magnitude : -magnitude);
  }
}
