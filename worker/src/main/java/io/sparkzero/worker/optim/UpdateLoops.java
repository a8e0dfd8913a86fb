package io.sparkzero.worker.optim;

/**
 * The element loops of the update rules, each one fused pass over a window of parameters,
 * gradients and state. Where the JVM has the Vector API ({@code jdk.incubator.vector}, which
 * Spark's launcher adds to every driver and executor it starts) they run as {@link
 * VectorUpdateLoops}; elsewhere, or with {@code -Dsparkzero.optimizer.vector=off}, as the scalar
 * loops below. Both do the same float operations in the same order per element (no fused
 * multiply-add, no reassociation), so they give the same bits (see {@code UpdateLoopsTest}).
 *
 * <p>Arguments: {@code p[j..j+n)} and {@code g[j..j+n)} are the parameters and gradients whose
 * state is {@code state[s..s+n)}.
 */
final class UpdateLoops {
  /** System property that turns the vector loops off ({@code off}); on by default. */
  static final String PROPERTY = "sparkzero.optimizer.vector";

  /** Whether the vector loops run in this JVM. */
  static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !"off".equalsIgnoreCase(System.getProperty(PROPERTY, "on"));

  private UpdateLoops() {}

  /** Adam: {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g; p -= size*m / (sqrt(v)*inv + eps)}. */
  static void adam(float[] p, float[] g, int j, float[] m, float[] v, int s, int n, float b1,
      float b2, float eps, float size, float inv) {
    if (VECTOR) {
      VectorUpdateLoops.adam(p, g, j, m, v, s, n, b1, b2, eps, size, inv);
    } else {
      scalarAdam(p, g, j, m, v, s, n, b1, b2, eps, size, inv);
    }
  }

  static void scalarAdam(float[] p, float[] g, int j, float[] m, float[] v, int s, int n,
      float b1, float b2, float eps, float size, float inv) {
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    for (int i = 0; i < n; i++) {
      float gi = g[j + i];
      float mi = b1 * m[s + i] + c1 * gi;
      float vi = b2 * v[s + i] + c2 * gi * gi;
      m[s + i] = mi;
      v[s + i] = vi;
      p[j + i] -= size * mi / ((float) Math.sqrt(vi) * inv + eps);
    }
  }

  /** SGD with momentum: {@code u = mu*u + g; p -= lr*u}. */
  static void sgd(float[] p, float[] g, int j, float[] u, int s, int n, float mu, float lr) {
    if (VECTOR) {
      VectorUpdateLoops.sgd(p, g, j, u, s, n, mu, lr);
    } else {
      scalarSgd(p, g, j, u, s, n, mu, lr);
    }
  }

  static void scalarSgd(float[] p, float[] g, int j, float[] u, int s, int n, float mu,
      float lr) {
    for (int i = 0; i < n; i++) {
      float ui = mu * u[s + i] + g[j + i];
      u[s + i] = ui;
      p[j + i] -= lr * ui;
    }
  }

  /** LARS: {@code u = mu*u + factor*(g + beta*p); p -= u}. */
  static void lars(float[] p, float[] g, int j, float[] u, int s, int n, float mu, float factor,
      float beta) {
    if (VECTOR) {
      VectorUpdateLoops.lars(p, g, j, u, s, n, mu, factor, beta);
    } else {
      scalarLars(p, g, j, u, s, n, mu, factor, beta);
    }
  }

  static void scalarLars(float[] p, float[] g, int j, float[] u, int s, int n, float mu,
      float factor, float beta) {
    for (int i = 0; i < n; i++) {
      float w = p[j + i];
      float ui = mu * u[s + i] + factor * (g[j + i] + beta * w);
      u[s + i] = ui;
      p[j + i] = w - ui;
    }
  }

  /** LAMB's moments: {@code m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g*g}. */
  static void moments(float[] g, int j, float[] m, float[] v, int s, int n, float b1, float b2) {
    if (VECTOR) {
      VectorUpdateLoops.moments(g, j, m, v, s, n, b1, b2);
    } else {
      scalarMoments(g, j, m, v, s, n, b1, b2);
    }
  }

  static void scalarMoments(float[] g, int j, float[] m, float[] v, int s, int n, float b1,
      float b2) {
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    for (int i = 0; i < n; i++) {
      float gi = g[j + i];
      m[s + i] = b1 * m[s + i] + c1 * gi;
      v[s + i] = b2 * v[s + i] + c2 * gi * gi;
    }
  }

  /**
   * LAMB's step along its direction: {@code p -= factor * (m*ib1 / (sqrt(v*ib2) + eps) +
   * lambda*p)}.
   */
  static void lambApply(float[] p, int j, float[] m, float[] v, int s, int n, float factor,
      float lambda, float ib1, float ib2, float eps) {
    if (VECTOR) {
      VectorUpdateLoops.lambApply(p, j, m, v, s, n, factor, lambda, ib1, ib2, eps);
    } else {
      scalarLambApply(p, j, m, v, s, n, factor, lambda, ib1, ib2, eps);
    }
  }

  static void scalarLambApply(float[] p, int j, float[] m, float[] v, int s, int n,
      float factor, float lambda, float ib1, float ib2, float eps) {
    for (int i = 0; i < n; i++) {
      float w = p[j + i];
      p[j + i] = w - factor * lambDirection(m[s + i], v[s + i], w, lambda, ib1, ib2, eps);
    }
  }

  /** LAMB's direction for one element, {@code m*ib1 / (sqrt(v*ib2) + eps) + lambda*w}. */
  static float lambDirection(float m, float v, float w, float lambda, float ib1, float ib2,
      float eps) {
    return m * ib1 / ((float) Math.sqrt(v * ib2) + eps) + lambda * w;
  }
}
