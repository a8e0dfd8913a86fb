package io.sparkzero.sharding.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Offsets in one slab for a step's buffers ({@link LayerSchedule}) such that no two buffers live
 * at the same time share an element. Two placements are tried and the smaller slab kept: greedy by
 * size (largest first, each at the lowest offset clear of the already placed buffers whose
 * lifetimes meet its own, the rule arena planners of inference runtimes use), which usually needs
 * no more than the peak of live buffers; and slots of the largest buffer's size, one per buffer
 * live at once (interval colouring in start order), which bounds the slab by that count times the
 * largest buffer even where greedy fragments.
 */
public final class BufferLayout {
  private final List<LayerSchedule.Buffer> buffers;
  private final Map<Key, Long> offsets;
  private final long slabElements;
  private final long peakLiveElements;

  private record Key(LayerSchedule.Kind kind, int layer, int occurrence) {}

  private BufferLayout(List<LayerSchedule.Buffer> buffers, Map<Key, Long> offsets,
      long slabElements, long peakLiveElements) {
    this.buffers = buffers;
    this.offsets = offsets;
    this.slabElements = slabElements;
    this.peakLiveElements = peakLiveElements;
  }

  /** Places {@code buffers} (a step's schedule). */
  public static BufferLayout of(List<LayerSchedule.Buffer> buffers) {
    BufferLayout greedy = greedyBySize(buffers);
    BufferLayout slots = slots(buffers);
    return slots.slabElements < greedy.slabElements ? slots : greedy;
  }

  private static BufferLayout slots(List<LayerSchedule.Buffer> buffers) {
    long largest = 0;
    for (LayerSchedule.Buffer buffer : buffers) {
      largest = Math.max(largest, buffer.length());
    }
    List<LayerSchedule.Buffer> byStart = new ArrayList<>(buffers);
    byStart.sort(Comparator.comparingInt(LayerSchedule.Buffer::start));
    List<Integer> slotFreeAt = new ArrayList<>(); // event at which each slot's occupant ends
    Map<Key, Long> offsets = new HashMap<>();
    for (LayerSchedule.Buffer buffer : byStart) {
      int slot = 0;
      while (slot < slotFreeAt.size() && slotFreeAt.get(slot) > buffer.start()) {
        slot++;
      }
      if (slot == slotFreeAt.size()) {
        slotFreeAt.add(buffer.end());
      } else {
        slotFreeAt.set(slot, buffer.end());
      }
      offsets.put(key(buffer), slot * largest);
    }
    return new BufferLayout(List.copyOf(buffers), Map.copyOf(offsets),
        slotFreeAt.size() * largest, peakLive(buffers));
  }

  private static BufferLayout greedyBySize(List<LayerSchedule.Buffer> buffers) {
    List<LayerSchedule.Buffer> bySize = new ArrayList<>(buffers);
    bySize.sort(Comparator.comparingLong(LayerSchedule.Buffer::length).reversed()
        .thenComparingInt(LayerSchedule.Buffer::start));
    List<LayerSchedule.Buffer> placed = new ArrayList<>();
    Map<Key, Long> offsets = new HashMap<>();
    long slab = 0;
    for (LayerSchedule.Buffer buffer : bySize) {
      List<long[]> taken = new ArrayList<>();
      for (LayerSchedule.Buffer other : placed) {
        if (other.overlapsInTime(buffer)) {
          long from = offsets.get(key(other));
          taken.add(new long[] {from, from + other.length()});
        }
      }
      taken.sort(Comparator.comparingLong(range -> range[0]));
      long offset = 0;
      for (long[] range : taken) {
        if (offset + buffer.length() <= range[0]) {
          break;
        }
        offset = Math.max(offset, range[1]);
      }
      offsets.put(key(buffer), offset);
      placed.add(buffer);
      slab = Math.max(slab, offset + buffer.length());
    }
    return new BufferLayout(List.copyOf(buffers), Map.copyOf(offsets), slab, peakLive(buffers));
  }

  /** Elements of the slab: the end of the highest placed buffer. */
  public long slabElements() {
    return slabElements;
  }

  /** The most elements in live buffers at any one time (the slab can be no smaller). */
  public long peakLiveElements() {
    return peakLiveElements;
  }

  /** The schedule this layout places, in the order the step takes its buffers. */
  public List<LayerSchedule.Buffer> buffers() {
    return buffers;
  }

  /**
   * Where the {@code occurrence}-th buffer of {@code kind} for {@code layer} in a step starts, or
   * -1 when the schedule has no such buffer.
   */
  public long offset(LayerSchedule.Kind kind, int layer, int occurrence) {
    return offsets.getOrDefault(new Key(kind, layer, occurrence), -1L);
  }

  private static Key key(LayerSchedule.Buffer buffer) {
    return new Key(buffer.kind(), buffer.layer(), buffer.occurrence());
  }

  private static long peakLive(List<LayerSchedule.Buffer> buffers) {
    long peak = 0;
    for (LayerSchedule.Buffer buffer : buffers) {
      long live = 0; // the live set only grows at a buffer's start
      for (LayerSchedule.Buffer other : buffers) {
        if (other.start() <= buffer.start() && buffer.start() < other.end()) {
          live += other.length();
        }
      }
      peak = Math.max(peak, live);
    }
    return peak;
  }
}
