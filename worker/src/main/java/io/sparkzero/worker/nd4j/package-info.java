/**
 * Repairs to ND4J itself that every rank needs, installed once per JVM before any step.
 *
 * <p>{@link io.sparkzero.worker.nd4j.ReachableOpExecutioner}: ND4J 1.0.0-M2.1's CPU executioner
 * lets an op be collected while libnd4j still runs it, and its deallocator then frees native
 * buffers under the running op (a JVM crash with SIGSEGV in {@code sd::DataBuffer::primary()},
 * seen in the suite's multi-rank tests). {@link io.sparkzero.worker.nd4j.ReachableOps} puts the
 * fenced executioner in place. The CUDA backend's executioner is left as it is: it has never run
 * here.
 */
package io.sparkzero.worker.nd4j;
