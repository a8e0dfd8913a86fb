/**
 * A rank's training examples: held ({@link io.sparkzero.worker.data.LocalDataset}, flat arrays
 * cut into batches without per-example objects) or streamed ({@link
 * io.sparkzero.worker.data.StreamedEpoch}), and how a step's examples become the network's input
 * ({@link io.sparkzero.worker.data.BatchMaker}).
 *
 * <h2>Streaming</h2>
 *
 * A stream is two pieces with one queue between them, as the style's loops are: {@link
 * io.sparkzero.worker.data.ChunkStream} owns a reader thread that reads the rank's chunks into
 * blocks and puts them in a bounded queue; {@link io.sparkzero.worker.data.StreamedEpoch} is the
 * training side, which takes blocks, holds the ones steps still need, and drops them once
 * trained. The queue's bound ({@code data.read-ahead-bytes}) and the block size ({@code
 * data.shuffle-window}) bound what a rank holds, whatever the data set's size.
 *
 * <p>The shuffle is two-level ({@link io.sparkzero.worker.data.StreamPlan}): a global order of
 * chunks per (seed, epoch), dealt to the least-loaded rank, then an order within each block per
 * (seed, epoch, rank, block). A global order of single examples would need a random read per
 * example, which Parquet (compressed pages) and HDFS (large blocks) make slow; chunks of a few
 * hundred examples, mixed within a window of thousands, give each step examples from across the
 * data set at sequential-read speed. The order depends on nothing but the job, so a resumed epoch
 * skips to its step and trains on the examples an uninterrupted one would.
 */
package io.sparkzero.worker.data;
