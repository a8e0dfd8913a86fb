/**
 * All-reduce bus bandwidth of the Aeron collectives between processes of one host, measured as
 * the gloo peer measures it; run by {@code sharding/bin/allreduce-bench.sh} ({@code
 * sharding/README.md} lists its options and results).
 */
package io.sparkzero.bench.collective;
