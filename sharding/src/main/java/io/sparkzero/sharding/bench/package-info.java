/**
 * Benchmarks that ship with the module, runnable with {@code sharding/bin/allreduce-bench.sh}; they
 * print one JSON line per measurement, comparable with the peers in {@code shared/peers}.
 */
package io.sparkzero.sharding.bench;
