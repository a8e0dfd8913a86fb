/**
 * Offload tiers (ZeRO-Offload / ZeRO-Infinity): a rank's optimizer state ({@code
 * offload.optimizer}) and at stage 3 its parameter shard ({@code offload.params}) kept outside the
 * rank's working memory, in native host memory ({@link io.sparkzero.worker.offload.HostTier}) or
 * in a file on a local disk ({@link io.sparkzero.worker.offload.FileTier}).
 *
 * <p>Each offloaded store is a {@link io.sparkzero.worker.offload.StreamedState}: arrays of
 * floats cut into blocks that rest in a tier and move through a few staging buffers. The tier is
 * chosen once when the rank starts ({@link io.sparkzero.worker.offload.OptimizerStates}); the
 * step code sees the {@link io.sparkzero.worker.optim.OptimizerState} interface (optimizer state)
 * or {@link io.sparkzero.worker.optim.ParamChunks} (the parameter shard), never a flag.
 *
 * <p>Why streaming rather than mapping the whole file: the optimizer touches every element once
 * per step in increasing order, so reading ahead and writing back in large aligned blocks on the
 * rank's own I/O thread ({@link io.sparkzero.worker.offload.IoLoop}) keeps the disk busy while the
 * optimizer computes, and bounds the memory a store uses to its staging buffers, which the memory
 * planner counts ({@link io.sparkzero.sharding.plan.OffloadPlan}). Between steps the parameter
 * shard is read in ranges ({@link io.sparkzero.worker.offload.StreamedState#fetch}), queued when a
 * layer's gather is requested, so the read runs ahead of the gather and of the compute.
 *
 * <p>Disk space is claimed when a file is created (zero-filled, after a free-space check), so a
 * disk that fills later cannot make the state's writes fail on a file system that overwrites in
 * place; files are owner-only and removed when the rank's trainer closes, after a failure too.
 */
package io.sparkzero.worker.offload;
