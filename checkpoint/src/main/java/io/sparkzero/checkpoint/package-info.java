/**
 * Sharded checkpoints on any Hadoop FileSystem ({@code hdfs://}, {@code file://}, any scheme with
 * a FileSystem implementation): every rank writes its own shard, a manifest written last commits
 * the step, and any global range of any array can be read back, whatever the world size that wrote
 * it. No Spark, no DL4J: the worker hands this module flat float arrays and opaque bytes.
 *
 * <h2>On the FileSystem</h2>
 *
 * <pre>
 * root/
 *   step-000000001000/
 *     rank-00000.shard      one per rank, written by that rank
 *     rank-00001.shard
 *     manifest.json         written last: its presence commits the step
 *   step-000000002000/
 *     .rank-00001.shard.5f3a...tmp   a write in progress (or abandoned)
 * </pre>
 *
 * <h2>Protocol</h2>
 *
 * <ol>
 *   <li>Each rank calls {@link io.sparkzero.checkpoint.CheckpointStore#beginShard}, streams its
 *       arrays through the {@link io.sparkzero.checkpoint.ShardWriter} and calls {@code finish()}:
 *       the shard is written under a temporary name, closed, then renamed to its final name, and
 *       the writer returns a {@link io.sparkzero.checkpoint.ShardRecord}.
 *   <li>One committer (the driver or rank 0) gathers the records into a {@link
 *       io.sparkzero.checkpoint.Manifest} and calls {@link
 *       io.sparkzero.checkpoint.CheckpointStore#commit}: it checks, with one directory listing,
 *       that every listed shard has its recorded length, writes {@code manifest.json} under a
 *       temporary name and renames it into place. That rename is the commit point, atomic on HDFS
 *       and on a local file system: before it readers do not see the step, after it they see all
 *       of it.
 *   <li>The committer then calls {@link io.sparkzero.checkpoint.CheckpointStore#retain}: older
 *       steps are deleted only once a newer one is committed, so a crash at any point leaves at
 *       least one complete checkpoint. A step's manifest is deleted before its shards, so a
 *       deletion cut short leaves an uncommitted directory, never a committed step with holes.
 *   <li>Resume: {@link io.sparkzero.checkpoint.CheckpointStore#latestCommitted}, then {@link
 *       io.sparkzero.checkpoint.CheckpointStore#cleanUncommitted} (while no rank writes) to remove
 *       half-written steps and stray temporary files, then {@link
 *       io.sparkzero.checkpoint.CheckpointStore#open} and {@link
 *       io.sparkzero.checkpoint.Checkpoint#verify()} to refuse a damaged checkpoint before any rank
 *       loads from it. A rank whose step was abandoned mid-write must not rewrite its shard before
 *       that clean: its final name may already exist.
 * </ol>
 *
 * <p>Every rename's boolean is checked: HDFS returns {@code false}, it does not throw, when the
 * target exists or the parent is missing. The local FileSystem instead silently replaces an
 * existing target, so every rename is preceded by an existence check as well; the same "already
 * exists" error then comes from both. Committed steps are never rewritten. Shards are closed, not
 * {@code hsync}ed, before the commit: on HDFS that puts them on every replica in the pipeline, as
 * Spark's own output commit does; a node losing power before its OS flushes is left to
 * replication.
 *
 * <h2>Shard file layout</h2>
 *
 * <p>All numbers little-endian; CRCs are CRC32C ({@link java.util.zip.CRC32C}), stored as 4 bytes.
 *
 * <pre>
 * header   magic "SZCKSHRD" (8) | format version int32 (= 1) | body length L int32
 *          body: rank int32 | from int64 | to int64 | block size B in floats int32
 *                | array count A int32 | A x (name length int32, UTF-8 name)
 *                | meta length int32 | meta bytes
 *          CRC32C of all header bytes before it (4)
 * data     for each array in header order, n = to - from elements:
 *            ceil(n / B) blocks, each min(B, remaining) float32 then the block's CRC32C (4)
 * trailer  magic "SZCKTRLR" (8) | total file length int64 | header CRC32C (4)
 *          | CRC32C of the trailer's first 20 bytes (4)
 * </pre>
 *
 * <p>Why this shape:
 *
 * <ul>
 *   <li><b>Ranged reads are direct.</b> With the header's length {@code H} known, array {@code
 *       i}'s block {@code k} starts at {@code H + i * (4n + 4 * ceil(n / B)) + k * (4B + 4)}: a
 *       reader seeks straight there. Resharding (N ranks' checkpoint loaded into M ranks) is each
 *       new rank asking {@link io.sparkzero.checkpoint.Checkpoint#read} for its own global range
 *       of each array; the read crosses shard and block boundaries and touches only the blocks it
 *       needs, checking the CRC of each before using it. Arrays are stored one after another (not
 *       interleaved) so one array's range is one contiguous run of bytes.
 *   <li><b>The block size is in the header</b>, so readers never depend on the writer's options.
 *       The default (256Ki floats, 1 MiB) keeps CRC overhead at 4 bytes per MiB and a read's
 *       overfetch at most 2 MiB; tests use a few floats to cross many boundaries cheaply.
 *   <li><b>A CRC per block</b> rather than per file: a range read can be trusted without reading
 *       the whole shard, and a bit flip is reported with its block, element range and byte offset.
 *       {@link io.sparkzero.checkpoint.Checkpoint#verify()} reads every block of every shard.
 *   <li><b>The header's CRC is recorded in the manifest</b>, which so names one exact file: a
 *       shard left by another attempt of the same rank and step, however well-formed, is refused
 *       as "a shard whose header disagrees".
 *   <li><b>The trailer</b> makes a file self-describing as complete: its length is implied by the
 *       header, and the trailer repeats it and the header's CRC. The manifest's recorded length
 *       catches truncation before any data is read.
 *   <li><b>Streaming.</b> The writer holds one block (and a buffered output stream of about 1 MiB)
 *       whatever the shard's size; shards of gigabytes never sit in memory.
 * </ul>
 *
 * <h2>What is detected, and where</h2>
 *
 * <p>A {@link io.sparkzero.checkpoint.CheckpointCorruptException} names the file, the byte offset
 * and the problem: opening a shard (on its first read, or in {@code verify()}) finds a missing
 * file, zero length, a length other than the manifest's (truncated), bad magic, an unsupported
 * version, a header CRC mismatch, a header that disagrees with the manifest, a bad trailer;
 * reading finds a block CRC mismatch in the blocks read. A manifest that does not parse, or
 * whose shards leave a gap or overlap in {@code [0, numElements)}, makes its step uncommitted
 * ({@code committedSteps()} skips it with a warning, {@code open(step)} throws). Damage to one
 * shard does not stop reads of other shards, nor of the intact blocks of the same shard. On {@code
 * file://} the local FileSystem also keeps its own {@code .crc} side files; when those catch
 * damage first, its checksum error is reported as the same exception.
 *
 * <p>I/O failures are {@link java.io.UncheckedIOException}s naming the operation and the path:
 * the API throws no checked exceptions, so callers in the step loop need no wrapping.
 *
 * <h2>Threads</h2>
 *
 * <p>A {@link io.sparkzero.checkpoint.CheckpointStore} may be shared; a {@link
 * io.sparkzero.checkpoint.ShardWriter} and a {@link io.sparkzero.checkpoint.Checkpoint} belong to
 * one thread each. The store uses the FileSystem instance Hadoop caches for the URI and never
 * closes it, as Spark does.
 */
package io.sparkzero.checkpoint;
