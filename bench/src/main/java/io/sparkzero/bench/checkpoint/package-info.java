/**
 * Benchmark of checkpoint bandwidth on a local disk, run by hand ({@code
 * deploy/bench/checkpoint-io.sh}, next to raw {@code dd} on the same disk in the same sitting):
 * how close {@link io.sparkzero.bench.checkpoint.CheckpointIoBenchmark}'s shard writes and reads
 * through a {@code file://} {@link io.sparkzero.checkpoint.CheckpointStore} come to what the disk
 * itself does.
 *
 * <p>The pattern is one host's ranks checkpointing one step: RANKS threads each stream a shard of
 * three equal arrays ({@code params}, {@code opt.0}, {@code opt.1}, SHARD_BYTES together) in 4 MiB
 * calls, at once; rank 0 commits; at resume each rank reads its own range of every array back.
 * Every rate counts the arrays' payload bytes of all ranks, not the file bytes (which add a header,
 * 4 bytes of CRC32C per 1 MiB block, a trailer, and Hadoop's {@code .crc} side files, 8 bytes per
 * 512 on the local FileSystem): the payload is what a checkpoint is for.
 *
 * <p>What each time covers, and why:
 *
 * <ul>
 *   <li><b>write</b>: from before the first {@code beginShard} to the last {@code finish()}. The
 *       store closes its shards without {@code fsync} (the package {@code io.sparkzero.checkpoint}
 *       says why), so on a local disk this is mostly the copy into the page cache and the
 *       checksums: the rate a training step is held up by, not the disk's.
 *   <li><b>write_durable</b>: write plus an {@code fsync} ({@code FileChannel.force(true)}) of each
 *       shard and its {@code .crc} side file, one thread per rank, timed separately: until then
 *       the bytes may be only in memory. This is the rate to set against {@code dd}'s direct,
 *       {@code conv=fsync} write. The commit comes after it, as a durable protocol would order
 *       them, and is reported apart ({@code commit_s}): a listing and one small file.
 *   <li><b>read</b>: after the page cache is dropped, each rank opens the step and reads its own
 *       range of every array in 4 MiB calls, checking each block's CRC32C, as a resume into the
 *       same number of ranks does; set against {@code dd}'s parallel direct read.
 *   <li><b>verify</b>: after another drop, one thread's {@code Checkpoint.verify()} of the whole
 *       step, what a resume runs before any rank loads.
 * </ul>
 *
 * <p>The page cache is also dropped before the writes, so a run does not start with the previous
 * run's dirty pages still being flushed. A failed drop (not root, a container's read-only {@code
 * /proc/sys}) is warned about and the run says {@code "cache_dropped": false}: its reads may have
 * come from memory. Each run writes a fresh store under DIR and deletes it afterwards, so every
 * shard is a new file whose blocks the file system allocates, as at a real checkpoint.
 */
package io.sparkzero.bench.checkpoint;
