/**
 * Micro-benchmark of the nvme offload tier's disk I/O, run by hand ({@code
 * deploy/bench/offload-io.sh}) to choose by measurement how {@code FileTier} reads and writes its
 * file: {@link io.sparkzero.bench.offload.OffloadIoBenchmark} does the tier's access pattern
 * (whole blocks, 8 MiB by default, in block order, from and into one 4096-aligned direct buffer)
 * with buffered {@code FileChannel} calls, with {@code O_DIRECT}, and through {@code mmap}.
 *
 * <p>Buffered and mapped I/O go through the page cache, which would make them look as fast as
 * memory. So that every method is measured against the disk:
 *
 * <ul>
 *   <li>every timed pass that writes ends with its writes made durable, inside the time: {@code
 *       FileChannel.force(false)} (fdatasync) for both channel methods, direct included (it also
 *       flushes the disk's write cache, so no method skips that), {@code MappedByteBuffer.force()}
 *       (msync) for mmap;
 *   <li>the page cache is dropped before every timed pass, reads and writes alike; the mappings of
 *       the previous pass are unmapped before (the kernel does not drop pages still mapped), and a
 *       failed drop is reported as {@code "cache_dropped": false};
 *   <li>the file is created and filled before any timing, so timed writes overwrite allocated
 *       blocks, as the tier does after its zero fill; its contents are random, not zeros.
 * </ul>
 *
 * <p>A read-and-write-back pass is counted as file bytes per second: the state streamed through
 * one optimizer step. The disk moves twice that many bytes, one read and one write per byte, one
 * after the other, so its ceiling is {@code 1 / (1 / read + 1 / write)} of the raw rates, the
 * reference the script compares it with. An mmap write faults each page in from the disk before
 * overwriting it, as a mapped tier would; that cost is part of its numbers.
 */
package io.sparkzero.bench.offload;
