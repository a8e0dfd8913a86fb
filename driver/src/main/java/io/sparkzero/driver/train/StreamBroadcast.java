package io.sparkzero.driver.train;

import io.sparkzero.worker.data.StreamPlan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * A {@link StreamPlan} as the bytes the driver broadcasts: Java serialization whatever the
 * session's serializer, so a user's Kryo session needs no registration for the chunk types, and
 * the Hadoop configuration the chunks share is written once.
 */
final class StreamBroadcast {
  private StreamBroadcast() {}

  static byte[] bytes(StreamPlan plan) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(plan);
    } catch (IOException e) {
      throw new UncheckedIOException("serializing the stream plan failed: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  static StreamPlan plan(byte[] bytes) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (StreamPlan) in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("reading the stream plan failed: " + e, e);
    }
  }
}
