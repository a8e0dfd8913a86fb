package io.sparkzero.worker.checkpoint;

import io.sparkzero.checkpoint.ShardRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** What one rank's shard write came to, as the bytes the ranks exchange before a commit. */
record ShardOutcome(ShardRecord record, String failure) {

  static byte[] encode(ShardRecord record, String failure) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeBoolean(failure == null);
      if (failure == null) {
        out.writeInt(record.rank());
        out.writeUTF(record.file());
        out.writeLong(record.from());
        out.writeLong(record.to());
        out.writeLong(record.bytes());
        out.writeLong(record.headerCrc32c());
      } else {
        out.writeUTF(failure.length() > 2000 ? failure.substring(0, 2000) : failure);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static ShardOutcome decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      if (!in.readBoolean()) {
        return new ShardOutcome(null, in.readUTF());
      }
      return new ShardOutcome(new ShardRecord(in.readInt(), in.readUTF(), in.readLong(),
          in.readLong(), in.readLong(), in.readLong()), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
