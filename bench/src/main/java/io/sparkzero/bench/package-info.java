/**
 * Benchmark mains, run by hand or by the scripts in {@code deploy/bench} and {@code sharding/bin},
 * to choose designs and defaults by measurement; BENCHMARKS.md holds their results. They live in
 * this module, apart from the code they measure, so that none of it ships in a production jar:
 * no production module depends on this one, only {@code deploy}, whose {@code target/lib} the
 * scripts put on the class path.
 *
 * <p>This package holds what every benchmark shares: one command-line parser ({@link
 * io.sparkzero.bench.BenchArgs}; each benchmark declares its {@link io.sparkzero.bench.BenchOption
 * options} once, in its {@code *Args} record, and a bad value is refused in one line that names
 * the option, the value and what is {@link io.sparkzero.bench.Allowed allowed}), dropping the page
 * cache before timed reads, and the pieces of their one-line JSON results. The subpackages follow
 * the module they measure: {@code collective} (sharding's all-reduce), {@code checkpoint}, {@code
 * offload} (the worker's nvme tier) and {@code model} (the worker's models).
 */
package io.sparkzero.bench;
