package io.sparkzero.worker.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link UpdateLoops} on the Vector API: whole vectors of the machine's preferred width, then the
 * remainder through the scalar loop. Each lane does the scalar loop's float operations in its
 * order ({@code mul} then {@code add}, never {@code fma}; a correctly rounded {@code sqrt}), so
 * the results are the scalar loop's bits on every instruction set. Loaded only where the JVM has
 * {@code jdk.incubator.vector}.
 */
final class VectorUpdateLoops {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  private VectorUpdateLoops() {}

  static void adam(float[] p, float[] g, int j, float[] m, float[] v, int s, int n, float b1,
      float b2, float eps, float size, float inv) {
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector gi = FloatVector.fromArray(F, g, j + i);
      FloatVector mi = FloatVector.fromArray(F, m, s + i).mul(b1).add(gi.mul(c1));
      FloatVector vi = FloatVector.fromArray(F, v, s + i).mul(b2).add(gi.mul(c2).mul(gi));
      mi.intoArray(m, s + i);
      vi.intoArray(v, s + i);
      FloatVector denominator = vi.lanewise(VectorOperators.SQRT).mul(inv).add(eps);
      FloatVector.fromArray(F, p, j + i).sub(mi.mul(size).div(denominator)).intoArray(p, j + i);
    }
    UpdateLoops.scalarAdam(p, g, j + i, m, v, s + i, n - i, b1, b2, eps, size, inv);
  }

  static void sgd(float[] p, float[] g, int j, float[] u, int s, int n, float mu, float lr) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector ui = FloatVector.fromArray(F, u, s + i).mul(mu)
          .add(FloatVector.fromArray(F, g, j + i));
      ui.intoArray(u, s + i);
      FloatVector.fromArray(F, p, j + i).sub(ui.mul(lr)).intoArray(p, j + i);
    }
    UpdateLoops.scalarSgd(p, g, j + i, u, s + i, n - i, mu, lr);
  }

  static void lars(float[] p, float[] g, int j, float[] u, int s, int n, float mu, float factor,
      float beta) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector w = FloatVector.fromArray(F, p, j + i);
      FloatVector decayed = FloatVector.fromArray(F, g, j + i).add(w.mul(beta));
      FloatVector ui = FloatVector.fromArray(F, u, s + i).mul(mu).add(decayed.mul(factor));
      ui.intoArray(u, s + i);
      w.sub(ui).intoArray(p, j + i);
    }
    UpdateLoops.scalarLars(p, g, j + i, u, s + i, n - i, mu, factor, beta);
  }

  static void moments(float[] g, int j, float[] m, float[] v, int s, int n, float b1, float b2) {
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector gi = FloatVector.fromArray(F, g, j + i);
      FloatVector.fromArray(F, m, s + i).mul(b1).add(gi.mul(c1)).intoArray(m, s + i);
      FloatVector.fromArray(F, v, s + i).mul(b2).add(gi.mul(c2).mul(gi)).intoArray(v, s + i);
    }
    UpdateLoops.scalarMoments(g, j + i, m, v, s + i, n - i, b1, b2);
  }

  static void lambApply(float[] p, int j, float[] m, float[] v, int s, int n, float factor,
      float lambda, float ib1, float ib2, float eps) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector w = FloatVector.fromArray(F, p, j + i);
      FloatVector root = FloatVector.fromArray(F, v, s + i).mul(ib2)
          .lanewise(VectorOperators.SQRT).add(eps);
      FloatVector direction = FloatVector.fromArray(F, m, s + i).mul(ib1).div(root)
          .add(w.mul(lambda));
      w.sub(direction.mul(factor)).intoArray(p, j + i);
    }
    UpdateLoops.scalarLambApply(p, j + i, m, v, s + i, n - i, factor, lambda, ib1, ib2, eps);
  }
}
