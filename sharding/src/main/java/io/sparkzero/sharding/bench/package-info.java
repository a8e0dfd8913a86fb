/**
 * Helpers the benchmark mains of every module share (no Spark, no DL4J): dropping the page cache
 * before timed reads, and the pieces of their JSON result lines.
 */
package io.sparkzero.sharding.bench;
