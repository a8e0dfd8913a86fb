/**
 * A rank's side of checkpointing during training, on top of the format in {@code
 * io.sparkzero.checkpoint}.
 *
 * <p>What a rank saves is {@link io.sparkzero.worker.train.TrainerState}: the parameters and each
 * optimizer state slot as arrays over the flat parameter index, the rank writing its own shard's
 * range of each, whatever its ZeRO stage or offload tier. So the ranks' shards tile every array
 * once, and any number of ranks at any stage can restore from them by ranged reads: resharding
 * needs no conversion step.
 *
 * <p>Why a snapshot and a writer thread ({@link io.sparkzero.worker.checkpoint.RankCheckpointer}):
 * the training thread only copies its shard into native memory between two steps (a memcpy), and
 * a loop that owns its thread writes the copy while the next steps run. The commit needs every
 * rank's shard, so it happens where the ranks meet anyway: at the next save (which therefore
 * waits for the previous write) and at the end of the stage. A write that failed on any rank
 * leaves the step uncommitted on every rank, and the previous committed step untouched.
 */
package io.sparkzero.worker.checkpoint;
