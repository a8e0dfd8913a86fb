package io.sparkzero.sharding.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The layer-sized buffers a ZeRO stage-2 or stage-3 step uses, in the order the engine takes and
 * frees them, and where each lives in one slab ({@link BufferLayout}), found by walking the
 * engine's schedule over the layers' sizes:
 *
 * <ul>
 *   <li>forward, at layer u (stage 3): the parameters of layers u..u+p are gathered (p =
 *       prefetched layers); layer u is freed after its forward, except the last p + 1 layers,
 *       whose backward follows at once;
 *   <li>backward, at layer u: the parameters of layers u, u-1..u-p are gathered (stage 3) and
 *       layer u's are freed after its backward; the gradient of layer u is written while that of
 *       layer u+1 may still be reduce-scattering (the engine waits for the reduce-scatter of layer
 *       u+2 before it takes the gradient buffer of layer u, so at most two exist at once).
 * </ul>
 *
 * <p>A step takes exactly these buffers in exactly this order on every rank, so a rank sets one
 * slab aside when it starts and puts each buffer at its planned offset: no allocation, no page
 * fault inside a step, and the bytes the planner predicts are the bytes the rank holds.
 */
public final class LayerSchedule {
  private LayerSchedule() {}

  /** What a step buffer holds. */
  public enum Kind {
    PARAMS,
    GRADIENTS
  }

  /**
   * One buffer of a step: the {@code occurrence}-th (from 0) buffer of {@code kind} for {@code
   * layer} in the step, live from event {@code start} until event {@code end} (exclusive).
   */
  public record Buffer(Kind kind, int layer, int occurrence, long length, int start, int end) {
    boolean overlapsInTime(Buffer other) {
      return start < other.end && other.start < end;
    }
  }

  /** The buffers of a stage-2 step: each layer's gradient, in backward order. */
  public static List<Buffer> stage2(long[] layers) {
    return new Walk(layers, 0).run(false);
  }

  /** The buffers of a stage-3 step with {@code prefetch} layers gathered ahead of the computing one. */
  public static List<Buffer> stage3(long[] layers, int prefetch) {
    if (prefetch < 0) {
      throw new IllegalArgumentException("prefetch must be >= 0, got " + prefetch);
    }
    return new Walk(layers, prefetch).run(true);
  }

  /** Elements of the slab holding every stage-2 buffer at its planned offset. */
  public static long stage2Elements(long[] layers) {
    return BufferLayout.of(stage2(layers)).slabElements();
  }

  /** Elements of the slab holding every stage-3 buffer at its planned offset. */
  public static long stage3Elements(long[] layers, int prefetch) {
    return BufferLayout.of(stage3(layers, prefetch)).slabElements();
  }

  /** Upper bound when only the largest layer is known: p + 1 gathered layers and two gradients. */
  public static long stage3UpperBound(long largestLayer, int prefetch) {
    return (prefetch + 3L) * largestLayer;
  }

  /** The engine's step replayed over layer sizes, mirroring its gather and gradient state. */
  private static final class Walk {
    private final long[] layers;
    private final int prefetch;
    private final List<Buffer> done = new ArrayList<>();
    private final int[] occurrences;
    private final Open[] gathered;
    private final Open[] gradients;
    private int clock;

    private record Open(Kind kind, int layer, int occurrence, long length, int start) {}

    Walk(long[] layers, int prefetch) {
      if (layers.length == 0) {
        throw new IllegalArgumentException("a model without parameterized layers has no schedule");
      }
      for (long length : layers) {
        if (length <= 0) {
          throw new IllegalArgumentException("layer lengths must be positive");
        }
      }
      this.layers = layers;
      this.prefetch = prefetch;
      this.occurrences = new int[2 * layers.length];
      this.gathered = new Open[layers.length];
      this.gradients = new Open[layers.length];
    }

    List<Buffer> run(boolean partitioned) {
      int last = layers.length - 1;
      if (partitioned) {
        for (int u = 0; u <= last; u++) {
          gather(u);
          for (int i = 1; i <= prefetch; i++) {
            gather(u + i);
          }
          if (u < last - prefetch) {
            releaseParams(u);
          }
        }
      }
      for (int u = last; u >= 0; u--) {
        if (partitioned) {
          gather(u);
          for (int i = 1; i <= prefetch; i++) {
            gather(u - i);
          }
        }
        if (u + 2 <= last) {
          close(gradients, u + 2); // the engine waits for its reduce-scatter before taking u's
        }
        gradients[u] = take(Kind.GRADIENTS, u);
        if (partitioned) {
          releaseParams(u);
        }
      }
      for (int u = 0; u <= last; u++) {
        close(gradients, u); // the step's end waits for every reduce-scatter
      }
      done.sort((a, b) -> Integer.compare(a.start(), b.start()));
      return List.copyOf(done);
    }

    private void gather(int layer) {
      if (layer >= 0 && layer < layers.length && gathered[layer] == null) {
        gathered[layer] = take(Kind.PARAMS, layer);
      }
    }

    private void releaseParams(int layer) {
      close(gathered, layer);
    }

    private Open take(Kind kind, int layer) {
      int occurrence = occurrences[2 * layer + kind.ordinal()]++;
      Open buffer = new Open(kind, layer, occurrence, layers[layer], clock++);
      return buffer;
    }

    private void close(Open[] slots, int layer) {
      Open buffer = slots[layer];
      if (buffer != null) {
        slots[layer] = null;
        done.add(new Buffer(buffer.kind(), buffer.layer(), buffer.occurrence(), buffer.length(),
            buffer.start(), clock++));
      }
    }
  }
}
