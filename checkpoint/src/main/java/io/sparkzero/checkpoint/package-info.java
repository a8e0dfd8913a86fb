/**
 * Sharded checkpoints on any Hadoop FileSystem (format, commit protocol, resharding). Filled in by the checkpoint work; the module exists so the reactor has its final shape.
 */
package io.sparkzero.checkpoint;
