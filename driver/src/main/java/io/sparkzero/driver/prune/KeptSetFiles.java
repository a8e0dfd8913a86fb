package io.sparkzero.driver.prune;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkzero.checkpoint.CheckpointCorruptException;
import io.sparkzero.driver.errors.DamagedCheckpointException;
import io.sparkzero.driver.report.ReportOutput;
import io.sparkzero.worker.data.KeptIds;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The kept sets of a pruned run, stored beside its checkpoints: {@code <checkpoint.path>/pruning/
 * kept-epoch-NNNNNN.ids}, one per selection, named by the first epoch that trains on it. A resumed
 * run trains each epoch on the newest set at or before it, so it sees the examples the
 * interrupted run saw. Checkpoint retention never deletes them (they are small: 8 bytes per kept
 * example) and the step directories' listing ignores them.
 *
 * <p>A file is {@code SZKEPT01}, a length-prefixed JSON description (the options that chose the
 * set, the data's size), the count and the ascending ids, then the CRC-32 of everything before
 * it. It is written under a temporary name and renamed, so a set is whole or absent.
 */
final class KeptSetFiles {
  static final String DIR = "pruning";
  private static final byte[] MAGIC = "SZKEPT01".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern NAME = Pattern.compile("kept-epoch-(\\d{6,9})\\.ids");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One stored set: what chose it, and its ids. */
  record Stored(int epoch, Map<String, String> description, KeptIds ids, String uri) {}

  private final Path dir;
  private final FileSystem fs;

  private KeptSetFiles(Path dir, FileSystem fs) {
    this.dir = dir;
    this.fs = fs;
  }

  static KeptSetFiles under(String checkpointUri, Configuration conf) {
    Path dir = new Path(new Path(checkpointUri), DIR);
    try {
      return new KeptSetFiles(dir, dir.getFileSystem(conf));
    } catch (IOException e) {
      throw new UncheckedIOException("opening " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The epochs that have a stored set, ascending. */
  List<Integer> epochs() {
    List<Integer> epochs = new ArrayList<>();
    try {
      if (!fs.exists(dir)) {
        return epochs;
      }
      for (FileStatus f : fs.listStatus(dir)) {
        Matcher m = NAME.matcher(f.getPath().getName());
        if (m.matches()) {
          epochs.add(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + dir + ": " + e.getMessage(), e);
    }
    epochs.sort(null);
    return epochs;
  }

  /** Stores the set first trained on at {@code epoch}, replacing one stored before. */
  void write(int epoch, Map<String, String> description, KeptIds ids) {
    Path target = path(epoch);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 8 * ids.size());
      DataOutputStream data = new DataOutputStream(bytes);
      data.write(MAGIC);
      byte[] json = JSON.writeValueAsBytes(new TreeMap<>(description));
      data.writeInt(json.length);
      data.write(json);
      long[] values = ids.ids();
      data.writeInt(values.length);
      for (long id : values) {
        data.writeLong(id);
      }
      data.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      data.writeLong(crc.getValue());
      ReportOutput.write(fs.getConf(), target.toString(), bytes.toByteArray(), "the kept set");
    } catch (IOException e) {
      throw new UncheckedIOException("writing the kept set " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * The set stored for {@code epoch}. A file that is cut short, not a kept set, or fails its
   * CRC is reported with its path and the byte offset where reading stopped.
   */
  Stored read(int epoch) {
    Path path = path(epoch);
    byte[] bytes;
    try (InputStream in = fs.open(path)) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the kept set " + path + ": " + e.getMessage(), e);
    }
    int offset = 0;
    try {
      DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
      byte[] magic = new byte[MAGIC.length];
      data.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw damaged(path, 0, "it does not start with SZKEPT01: not a kept set file");
      }
      offset = MAGIC.length;
      int jsonLength = data.readInt();
      if (jsonLength < 0 || jsonLength > bytes.length) {
        throw damaged(path, offset, "its description length " + jsonLength + " is impossible");
      }
      byte[] json = new byte[jsonLength];
      data.readFully(json);
      offset += 4 + jsonLength;
      int count = data.readInt();
      if (count < 0 || (long) count * 8 > bytes.length) {
        throw damaged(path, offset, "its id count " + count + " is impossible");
      }
      long[] ids = new long[count];
      for (int i = 0; i < count; i++) {
        ids[i] = data.readLong();
      }
      offset += 4 + 8 * count;
      long stored = data.readLong();
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, offset);
      if (crc.getValue() != stored || offset + 8 != bytes.length) {
        throw damaged(path, offset, "its CRC-32 does not match its contents");
      }
      Map<String, String> description = JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {});
      return new Stored(epoch, description, KeptIds.of(ids), path.toString());
    } catch (EOFException e) {
      throw damaged(path, bytes.length, "it ends early (" + bytes.length + " bytes)");
    } catch (IOException e) {
      throw damaged(path, offset, e.getMessage());
    }
  }

  private Path path(int epoch) {
    return new Path(dir, String.format("kept-epoch-%06d.ids", epoch));
  }

  private static DamagedCheckpointException damaged(Path path, int offset, String what) {
    return new DamagedCheckpointException(new CheckpointCorruptException(path.toString(), offset,
        what + " (the run's kept set: a resumed run would not know which examples to train on)"),
        "restore the file, or start over with a new checkpoint.path");
  }
}
