package io.sparkzero.worker.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A JVM's worth of the pattern a dense layer runs every step ({@code addiRowVector}, a broadcast
 * whose axis array only the op references) on three threads, with a fourth asking for a
 * collection every millisecond. Arguments: {@code fenced|stock} and the milliseconds to run.
 * Prints the executioner's class, then {@code done} when it ends alive.
 */
public final class BroadcastStress {
  private BroadcastStress() {}

  public static void main(String[] args) throws InterruptedException {
    if (args[0].equals("fenced")) {
      ReachableOps.install();
    }
    System.out.println("executioner=" + Nd4j.getExecutioner().getClass().getName());
    long endNs = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000L;
    Thread collector = new Thread(() -> {
      while (true) {
        System.gc();
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    collector.setDaemon(true);
    collector.start();
    Thread[] workers = new Thread[3];
    for (int t = 0; t < workers.length; t++) {
      workers[t] = new Thread(() -> {
        INDArray activations = Nd4j.rand(DataType.FLOAT, 64, 256);
        INDArray bias = Nd4j.rand(DataType.FLOAT, 1, 256);
        while (System.nanoTime() < endNs) {
          activations.addiRowVector(bias);
          activations.subiRowVector(bias);
        }
      });
      workers[t].start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
    System.out.println("done");
  }
}
