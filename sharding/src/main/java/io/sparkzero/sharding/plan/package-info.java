/**
 * Pure plans computed before and at the start of a job, identical on every rank: who owns which
 * slice of the flat parameter vector ({@link io.sparkzero.sharding.plan.PartitionPlan}) and how
 * many bytes each rank needs at each ZeRO stage ({@link io.sparkzero.sharding.plan.MemoryPlanner}).
 * No I/O, no threads, no Spark, no DL4J: the worker applies a plan, the driver prints one.
 *
 * <h2>Shards</h2>
 *
 * <p>ZeRO cuts the flat vector of {@code numParams} floats into one contiguous shard per rank; a
 * rank keeps optimizer state (stage 1), gradients (stage 2) and parameters (stage 3) only for its
 * shard. The vector is cut into blocks of {@code alignElements} (default 16) and each rank gets
 * {@code floor(B*r/N)..floor(B*(r+1)/N)} of the {@code B} blocks. Aligned boundaries keep every
 * shard starting on a 64-byte line for fp32 (32 bytes for 16-bit), so the per-shard optimizer loops
 * vectorise without a scalar head, chunked offload reads and writes stay aligned, and a checkpoint
 * shard's offsets are round numbers. The cost is balance: two shards differ by at most one block,
 * instead of one element. Shards may be empty when there are fewer blocks than ranks; every
 * consumer must accept an empty shard.
 *
 * <h2>Buckets in backward order</h2>
 *
 * <p>Gradients appear during the backward pass from the last layer to the first. {@link
 * io.sparkzero.sharding.plan.PartitionPlan#buckets()} lists buckets in that order, highest offsets
 * first, so the reduce-scatter (or all-reduce) of a bucket can start as soon as the layers in it
 * are done, overlapping communication with the gradients of earlier layers still being computed. A
 * bucket holds whole consecutive layers up to {@code bucketElements}, so it is ready after exactly
 * its layers' backward steps. A layer larger than a bucket is cut into buckets of its own, never
 * shared with a neighbour, so every bucket belongs either to one layer or to a set of whole layers:
 * at stages 2 and 3 a layer's full gradient can be released as soon as its own buckets are reduced,
 * without tracking buckets that straddle layers. {@link
 * io.sparkzero.sharding.plan.PartitionPlan#boundsWithin} turns a bucket into the segment bounds a
 * collective on a buffer holding just that bucket takes.
 *
 * <h2>Tensor pieces</h2>
 *
 * <p>LARS and LAMB scale each tensor's update by a ratio of norms over the whole tensor. With flat
 * sharding a tensor can span several ranks, so {@link
 * io.sparkzero.sharding.plan.PartitionPlan#pieces(int)} tells a rank which parts of which tensors
 * its shard holds: it sums the squares of each piece, the ranks exchange one row of those sums
 * per shard (an all-gather; at stage 0 every rank computes every row itself), every rank adds the
 * rows in shard order, so all stages get bit-identical norms, and each rank then applies the
 * ratios to its own pieces.
 *
 * <h2>Memory</h2>
 *
 * <p>{@link io.sparkzero.sharding.plan.MemoryPlanner} evaluates the per-stage memory formulas
 * (docs/METHODS.md, "Memory per rank") for any parameter count, world size, precision and optimizer, adds the transient buffers of
 * stages 2 and 3, checks a per-rank budget and says which stage or world size would fit. The
 * measured persistent bytes of a run should match its prediction; an aligned shard can exceed
 * {@code ceil(psi / N)} by less than one alignment block, which the planner ignores.
 */
package io.sparkzero.sharding.plan;
