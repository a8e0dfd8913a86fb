package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the plans step by step on plain arrays (every rank sends its current values of the planned
 * range to its right neighbour, which adds or copies them), checking what each collective promises
 * and the invariant chunk pipelining rests on.
 */
class RingPlanTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 7})
  void reduceScatterLeavesEachRankTheSumOfItsSegment(int n) {
    int[] bounds = uneven(n);
    double[][] data = inputs(n, bounds[n]);
    simulate(n, data, r -> RingPlan.reduceScatter(r, n, bounds));
    double[] sum = sum(n, bounds[n]);
    for (int r = 0; r < n; r++) {
      assertThat(Arrays.copyOfRange(data[r], bounds[r], bounds[r + 1]))
          .containsExactly(Arrays.copyOfRange(sum, bounds[r], bounds[r + 1]));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 7})
  void allReduceLeavesEveryRankTheFullSum(int n) {
    int[] bounds = uneven(n);
    double[][] data = inputs(n, bounds[n]);
    simulate(n, data, r -> RingPlan.allReduce(r, n, bounds));
    for (int r = 0; r < n; r++) {
      assertThat(data[r]).containsExactly(sum(n, bounds[n]));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 7})
  void allGatherGivesEveryRankEveryOwnersSegment(int n) {
    int[] bounds = uneven(n);
    double[][] data = inputs(n, bounds[n]);
    double[] expected = new double[bounds[n]];
    for (int r = 0; r < n; r++) {
      System.arraycopy(data[r], bounds[r], expected, bounds[r], bounds[r + 1] - bounds[r]);
    }
    simulate(n, data, r -> RingPlan.allGather(r, n, bounds));
    for (int r = 0; r < n; r++) {
      assertThat(data[r]).containsExactly(expected);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 7})
  void broadcastCopiesTheRootsRangeFromEveryRoot(int n) {
    for (int root = 0; root < n; root++) {
      double[][] data = inputs(n, 20);
      double[] expected = data[root].clone();
      int rootRank = root;
      simulate(n, data, r -> RingPlan.broadcast(r, n, rootRank, 0, 20));
      for (int r = 0; r < n; r++) {
        assertThat(data[r]).as("root %d rank %d", root, r).containsExactly(expected);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 5, 7})
  void whatARankSendsAtAStepIsWhatItReceivedTheStepBefore(int n) {
    int[] bounds = uneven(n);
    for (int r = 0; r < n; r++) {
      for (RingPlan plan : new RingPlan[] {RingPlan.allReduce(r, n, bounds),
          RingPlan.reduceScatter(r, n, bounds), RingPlan.allGather(r, n, bounds),
          RingPlan.broadcast(r, n, 1, 3, 9)}) {
        for (int s = 1; s < plan.steps(); s++) {
          if (plan.sendHi(s) > plan.sendLo(s)) {
            assertThat(new int[] {plan.sendLo(s), plan.sendHi(s)})
                .containsExactly(plan.recvLo(s - 1), plan.recvHi(s - 1));
          }
        }
      }
    }
  }

  private interface PlanOf {
    RingPlan of(int rank);
  }

  /** All ranks do step s at once: each sends to the right what it holds before the step. */
  private static void simulate(int n, double[][] data, PlanOf plans) {
    RingPlan[] plan = new RingPlan[n];
    for (int r = 0; r < n; r++) {
      plan[r] = plans.of(r);
    }
    for (int s = 0; s < plan[0].steps(); s++) {
      double[][] sent = new double[n][];
      for (int r = 0; r < n; r++) {
        sent[r] = Arrays.copyOfRange(data[r], plan[r].sendLo(s), plan[r].sendHi(s));
      }
      for (int r = 0; r < n; r++) {
        double[] in = sent[Math.floorMod(r - 1, n)];
        assertThat(in.length).as("step %d rank %d", s, r).isEqualTo(plan[r].recvHi(s) - plan[r].recvLo(s));
        for (int i = 0; i < in.length; i++) {
          int at = plan[r].recvLo(s) + i;
          data[r][at] = plan[r].reduces(s) ? data[r][at] + in[i] : in[i];
        }
      }
    }
  }

  /** Segments of differing sizes, one of them empty when there are 3+ ranks. */
  private static int[] uneven(int n) {
    int[] bounds = new int[n + 1];
    for (int r = 0; r < n; r++) {
      bounds[r + 1] = bounds[r] + (n >= 3 && r == n - 2 ? 0 : r + 2);
    }
    return bounds;
  }

  private static double[][] inputs(int n, int size) {
    double[][] data = new double[n][size];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < size; i++) {
        data[r][i] = Math.pow(10, r) * (i + 1);
      }
    }
    return data;
  }

  private static double[] sum(int n, int size) {
    double[] sum = new double[size];
    for (double[] row : inputs(n, size)) {
      for (int i = 0; i < size; i++) {
        sum[i] += row[i];
      }
    }
    return sum;
  }
}
