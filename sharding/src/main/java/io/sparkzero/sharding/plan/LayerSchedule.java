package io.sparkzero.sharding.plan;

/**
 * The most elements a ZeRO stage-2 or stage-3 step holds in layer-sized buffers at once, found by
 * walking the engine's schedule over the layers' sizes:
 *
 * <ul>
 *   <li>forward, at layer u (stage 3): the parameters of layers u..u+p are gathered (p =
 *       prefetched layers); layer u is freed after its forward, except the last layer, whose
 *       backward follows at once;
 *   <li>backward, at layer u: the parameters of layers u, u-1..u-p are gathered (stage 3); the
 *       gradient of layer u is being written while that of layer u+1 may still be
 *       reduce-scattering (at most two layer gradients exist at once).
 * </ul>
 */
public final class LayerSchedule {
  private LayerSchedule() {}

  /** Stage 2: the two largest consecutive layer gradients. */
  public static long stage2Elements(long[] layers) {
    long peak = 0;
    for (int u = 0; u < layers.length; u++) {
      peak = Math.max(peak, layers[u] + (u + 1 < layers.length ? layers[u + 1] : 0));
    }
    return peak;
  }

  /** Stage 3, with {@code prefetch} layers gathered ahead of the computing one. */
  public static long stage3Elements(long[] layers, int prefetch) {
    int n = layers.length;
    long peak = 0;
    for (int u = 0; u < n; u++) {
      peak = Math.max(peak, sum(layers, u, Math.min(n - 1, u + prefetch)));
    }
    for (int u = n - 1; u >= 0; u--) {
      long params = sum(layers, Math.max(0, u - prefetch), u);
      long grads = layers[u] + (u + 1 < n ? layers[u + 1] : 0);
      peak = Math.max(peak, params + grads);
    }
    return peak;
  }

  /** Upper bound when only the largest layer is known: p + 1 gathered layers and two gradients. */
  public static long stage3UpperBound(long largestLayer, int prefetch) {
    return (prefetch + 3L) * largestLayer;
  }

  private static long sum(long[] layers, int from, int to) {
    long total = 0;
    for (int i = from; i <= to; i++) {
      total += layers[i];
    }
    return total;
  }
}
