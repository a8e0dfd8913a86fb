/**
 * Collective operations between the ranks of a job, over Aeron, without Spark.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link io.sparkzero.sharding.collective.Collectives}: the interface ranks program against.
 *   <li>{@link io.sparkzero.sharding.collective.FloatBlock}: the floats a collective works on, a
 *       heap array or native memory (direct buffer, ND4J address) kept alive by its owner.
 *   <li>{@link io.sparkzero.sharding.collective.AeronRuntime}: one per JVM and Aeron directory; the
 *       first JVM of a host to lock the directory runs the media driver for all the job's ranks on
 *       that host, the others connect to it. It outlives stages.
 *   <li>{@link io.sparkzero.sharding.collective.AeronCollectives}: one per rank and stage, built on
 *       a runtime and a {@link io.sparkzero.sharding.collective.Rendezvous} (Spark's barrier
 *       allGather on a cluster, {@link io.sparkzero.sharding.collective.LocalRendezvous} or {@link
 *       io.sparkzero.sharding.collective.FileRendezvous} in tests and tools).
 *   <li>{@link io.sparkzero.sharding.collective.CollectiveOptions}, whose keys, types, defaults and
 *       allowed values are declared in {@link io.sparkzero.sharding.collective.CollectiveOptionSpecs}
 *       with the option type of {@link io.sparkzero.sharding.options}.
 * </ul>
 *
 * <h2>Why a ring, and how it is driven</h2>
 *
 * <p>A ring moves {@code 2(N-1)/N} of the data in and out of every rank for an all-reduce, the
 * bandwidth optimum, and needs one stream per rank whatever {@code N} is. Each rank owns one loop on
 * the caller's thread ({@code RingLoop}) that alternates "send what the plan allows" with "poll what
 * arrived"; it never blocks on a send, so a ring of back-pressured ranks cannot deadlock. Chunks of
 * step {@code s} leave as soon as the same chunk of step {@code s-1} has arrived, so a whole
 * all-reduce is one pipeline. The plan of what to send and receive at each step ({@code RingPlan})
 * is a pure function, tested without Aeron.
 *
 * <h2>Copies</h2>
 *
 * <p>A chunk is written once, from the caller's data straight into the publication's log buffer
 * ({@code tryClaim}); the receiver adds or copies straight from the subscription's log buffer into
 * the caller's data. Data is a {@link io.sparkzero.sharding.collective.FloatBlock}: a heap array,
 * or native memory such as a DL4J model's parameters, worked on in place because a heap copy of a
 * whole model would double the memory per rank that sharding cuts. Adding into native memory goes
 * through two chunk-sized arrays (received chunk, destination chunk), so heap and native data share
 * one vectorized array-to-array loop. Chunks fit one Aeron frame (MTU up to 64 KiB), so Aeron never
 * fragments or reassembles them. IPC data never passes through the media driver; the driver only
 * advances the publication limits, which is why its idle strategy sleeps rather than spins (on a
 * 2-core host a spinning driver starves the ranks, and spinning ranks starve the driver's flow
 * control).
 *
 * <h2>16-bit wires</h2>
 *
 * <p>Reduce-scatter, all-gather and all-reduce take a {@link io.sparkzero.sharding.collective.Wire}:
 * {@code fp32}, or {@code bf16} / {@code fp16}, which send 2-byte elements and so halve the bytes of
 * a step (a chunk is still {@code collective.chunk-bytes}, of twice the elements). Ranks compute in
 * fp32 throughout: only what is sent is rounded (to nearest, ties to even, {@link
 * io.sparkzero.sharding.collective.HalfFloats}), a received partial sum is widened and the rank's
 * own values added to it in fp32, in the fp32 path's order, so a segment's sum is rounded to the
 * wire once per hop ({@code N-1} times) and its owner keeps it in fp32. A gather copies rounded
 * values, and the owner rounds its own segment in place as it sends it, so every rank ends with the
 * same bits. bf16 keeps fp32's range (2^-8 precision); fp16 is more precise (2^-11) but overflows
 * to infinity from 65520, which a training step sees as a non-finite gradient. The header names the
 * wire of every float message, so ranks that disagree on it fail like ranks that disagree on the
 * call sequence; fp32 messages are the bytes they always were. The conversions cost CPU (chunks
 * are converted with vectorizable {@code int[]} loops, {@code RawHalves}), so a 16-bit wire pays
 * where the links, not the cores, limit a step: between hosts rather than over shared memory on a
 * busy host.
 *
 * <h2>Safety</h2>
 *
 * <p>Every message carries the job's tag (a hash of its token), operation number, step and offset,
 * and with {@code collective.authenticate} an HMAC tag keyed by the token ({@link
 * io.sparkzero.sharding.collective.MessageMac}). A rank reads only the stream its left neighbour
 * announced at the rendezvous (its session id and source address, {@link
 * io.sparkzero.sharding.collective.InboundStream}). Another job's tag, or a wrong HMAC, is dropped
 * and counted; a message from a later step is left in the log until its time (controlled
 * poll, {@code ABORT}); anything else out of place means the ranks disagree on the call sequence
 * and fails the operation at once (the ring loop rethrows what its handler threw, which Aeron's
 * poll would otherwise only log). Each instance listens on a stream id from its driver's
 * correlation counter, so stages and concurrent instances never share a stream. A neighbour silent
 * for {@code collective.timeout-ms} fails the call with {@link
 * io.sparkzero.sharding.collective.CollectiveTimeoutException} naming it; timeouts run on an
 * injectable clock.
 */
package io.sparkzero.sharding.collective;
