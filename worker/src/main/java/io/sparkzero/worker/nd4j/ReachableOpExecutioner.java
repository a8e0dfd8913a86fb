package io.sparkzero.worker.nd4j;

import java.lang.ref.Reference;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BroadcastOp;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.IndexAccumulation;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.RandomOp;
import org.nd4j.linalg.api.ops.ReduceOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.api.ops.aggregates.Aggregate;
import org.nd4j.linalg.api.ops.aggregates.Batch;
import org.nd4j.linalg.api.ops.impl.summarystats.Variance;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner;

/**
 * ND4J's CPU executioner, with each op and its context kept reachable until its native call has
 * returned.
 *
 * <p>{@code NativeOpExecutioner} reads the native handles of an op's arrays and then calls into
 * libnd4j without touching the op again. Once the JIT has compiled it, the op, and with it any
 * array that only the op references (the axis array every broadcast and reduction builds, {@code
 * BaseOp.dimensionz}), may be collected while libnd4j still reads them; ND4J's deallocator
 * threads then free the native buffer under the running op, and the JVM dies with SIGSEGV in
 * {@code sd::DataBuffer::primary()}. Holding the op with {@link Reference#reachabilityFence}
 * after each call closes that window (see {@code ReachableOpExecutionerTest}, which crashes the
 * stock executioner). Every public entry point is covered; the internal overloads they dispatch
 * to run inside one of them.
 */
public class ReachableOpExecutioner extends NativeOpExecutioner {

  @Override
  public INDArray exec(Op op) {
    try {
      return super.exec(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray exec(Op op, OpContext context) {
    try {
      return super.exec(op, context);
    } finally {
      Reference.reachabilityFence(op);
      Reference.reachabilityFence(context);
    }
  }

  @Override
  public INDArray exec(IndexAccumulation op) {
    try {
      return super.exec(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray exec(IndexAccumulation op, OpContext context) {
    try {
      return super.exec(op, context);
    } finally {
      Reference.reachabilityFence(op);
      Reference.reachabilityFence(context);
    }
  }

  @Override
  public INDArray exec(Variance op) {
    try {
      return super.exec(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray exec(ReduceOp op) {
    try {
      return super.exec(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray exec(ReduceOp op, OpContext context) {
    try {
      return super.exec(op, context);
    } finally {
      Reference.reachabilityFence(op);
      Reference.reachabilityFence(context);
    }
  }

  @Override
  public INDArray exec(ScalarOp op) {
    try {
      return super.exec(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray exec(ScalarOp op, OpContext context) {
    try {
      return super.exec(op, context);
    } finally {
      Reference.reachabilityFence(op);
      Reference.reachabilityFence(context);
    }
  }

  @Override
  public INDArray exec(BroadcastOp op) {
    try {
      return super.exec(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray exec(BroadcastOp op, OpContext context) {
    try {
      return super.exec(op, context);
    } finally {
      Reference.reachabilityFence(op);
      Reference.reachabilityFence(context);
    }
  }

  @Override
  public <T extends Aggregate> void exec(Batch<T> batch) {
    try {
      super.exec(batch);
    } finally {
      Reference.reachabilityFence(batch);
    }
  }

  @Override
  public void exec(List<Aggregate> batch) {
    try {
      super.exec(batch);
    } finally {
      Reference.reachabilityFence(batch);
    }
  }

  @Override
  public void exec(Aggregate op) {
    try {
      super.exec(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray exec(RandomOp op) {
    try {
      return super.exec(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray exec(RandomOp op, Random rng) {
    try {
      return super.exec(op, rng);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray exec(RandomOp op, OpContext context, Random rng) {
    try {
      return super.exec(op, context, rng);
    } finally {
      Reference.reachabilityFence(op);
      Reference.reachabilityFence(context);
    }
  }

  @Override
  public INDArray[] exec(CustomOp op) {
    try {
      return super.exec(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public INDArray[] exec(CustomOp op, OpContext context) {
    try {
      return super.exec(op, context);
    } finally {
      Reference.reachabilityFence(op);
      Reference.reachabilityFence(context);
    }
  }

  @Override
  public List<LongShapeDescriptor> calculateOutputShape(CustomOp op) {
    try {
      return super.calculateOutputShape(op);
    } finally {
      Reference.reachabilityFence(op);
    }
  }

  @Override
  public List<LongShapeDescriptor> calculateOutputShape(CustomOp op, OpContext context) {
    try {
      return super.calculateOutputShape(op, context);
    } finally {
      Reference.reachabilityFence(op);
      Reference.reachabilityFence(context);
    }
  }
}
