package io.sparkzero.worker.nd4j;

import java.lang.reflect.Field;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Puts a {@link ReachableOpExecutioner} in place of ND4J's stock CPU executioner, once per JVM.
 *
 * <p>ND4J picks its executioner when it starts, from its backend's properties, and offers no
 * setter; this swaps the instance {@code Nd4j.getExecutioner()} returns. It runs where networks
 * are built ({@code Dl4jModel}, {@code ModelLoader}), before any rank trains, so every step's
 * ops go through the fenced executioner; ops run before it (ND4J's own start-up) are unaffected.
 * On another backend (CUDA) or where it is already in place it does nothing. The fenced class is
 * loaded by name, so this class loads on a build without ND4J's CPU backend.
 */
public final class ReachableOps {
  private static final String STOCK = "org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner";
  private static final String FENCED = "io.sparkzero.worker.nd4j.ReachableOpExecutioner";

  private ReachableOps() {}

  /** Installs the fenced executioner where ND4J runs its stock CPU one; otherwise does nothing. */
  public static synchronized void install() {
    OpExecutioner current = Nd4j.getExecutioner();
    if (!current.getClass().getName().equals(STOCK)) {
      return;
    }
    try {
      OpExecutioner fenced = (OpExecutioner) Class.forName(FENCED).getDeclaredConstructor()
          .newInstance();
      fenced.setProfilingMode(current.getProfilingMode());
      Field instance = Nd4j.class.getDeclaredField("OP_EXECUTIONER_INSTANCE");
      instance.setAccessible(true);
      instance.set(null, fenced);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot replace ND4J's op executioner ("
          + current.getClass().getName() + ") with " + FENCED + ": " + e, e);
    }
  }

  /** Whether ND4J's executioner is now the fenced one. */
  public static boolean installed() {
    return Nd4j.getExecutioner().getClass().getName().equals(FENCED);
  }
}
