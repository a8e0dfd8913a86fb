package io.sparkzero.sharding.plan;

/**
 * Predicts one training step's time at each ZeRO stage and rank count from parts measured once:
 * a rank's compute for the step and its optimizer over the whole model (both at one rank), and
 * the ring's latency per hop and bandwidth. The collectives are those the stages run:
 *
 * <table>
 *   <caption>Per step and rank, Ψ parameters of b bytes, N ranks, L layers</caption>
 *   <tr><th>stage</th><th>collectives</th><th>bytes sent</th><th>latency hops</th><th>optimizer</th></tr>
 *   <tr><td>0</td><td>all-reduce of the gradient after backward</td><td>2(N-1)/N Ψb</td>
 *       <td>2(N-1)</td><td>Ψ</td></tr>
 *   <tr><td>1</td><td>reduce-scatter after backward, all-gather after the step</td>
 *       <td>2(N-1)/N Ψb</td><td>2(N-1)</td><td>Ψ/N</td></tr>
 *   <tr><td>2</td><td>reduce-scatter per layer during backward, all-gather after the step</td>
 *       <td>2(N-1)/N Ψb</td><td>(L+1)(N-1)</td><td>Ψ/N</td></tr>
 *   <tr><td>3</td><td>all-gather per layer in forward and again in backward, reduce-scatter per
 *       layer during backward</td><td>3(N-1)/N Ψb</td><td>3L(N-1)</td><td>Ψ/N</td></tr>
 * </table>
 *
 * <p>A collective's time is its latency hops times the hop latency plus its bytes over the
 * bandwidth (a ring's bus bandwidth: what each rank sends per second). With {@code overlap}, the
 * collectives that run on the communication thread while layers compute hide behind that compute
 * (backward is taken as two thirds of a step's compute, forward as one third): stage 2's
 * reduce-scatter behind backward, stage 3's forward gathers behind forward and its backward
 * gathers and reduce-scatter behind backward; stages 0 and 1 start communicating only after
 * backward and hide nothing. Without it every collective adds to the step: the case of a host
 * whose cores both compute and copy.
 *
 * <p>{@code cores} describes a host that runs all N ranks on fewer cores than ranks (this
 * project's 2-core test host): compute, optimizer and communication are all CPU work there, so
 * each takes {@code max(1, N / cores)} times longer. On a cluster of one rank per host or GPU,
 * pass {@link Integer#MAX_VALUE}.
 */
public final class ScalingModel {
  private ScalingModel() {}

  /**
   * What one rank's step costs on its own.
   *
   * @param name for tables
   * @param params Ψ, the model's parameters
   * @param layers L, the layers stage 2 and 3 communicate one by one
   * @param computeS forward and backward of one step's batch at one rank, in seconds
   * @param optimizerS the optimizer over all Ψ parameters, in seconds
   */
  public record Workload(String name, long params, int layers, double computeS,
      double optimizerS) {}

  /**
   * A ring's link.
   *
   * @param name for tables
   * @param latencyS α, the time of one hop of a small message
   * @param bytesPerS β, the bus bandwidth: bytes each rank sends per second in a ring collective
   */
  public record Link(String name, double latencyS, double bytesPerS) {}

  /**
   * A predicted step.
   *
   * @param commS the collectives' whole time
   * @param exposedCommS the part of it the step waits for
   * @param stepS compute, optimizer and exposed communication
   */
  public record Estimate(ZeroStage stage, int ranks, double computeS, double optimizerS,
      double commS, double exposedCommS, double stepS) {

    /** Whether the step waits for communication at least as long as it computes and updates. */
    public boolean communicationBound() {
      return exposedCommS >= computeS + optimizerS;
    }
  }

  /** Bytes each rank sends per step at {@code stage}: the table's third column. */
  public static double bytesSent(ZeroStage stage, long params, int ranks, int bytesPerElement) {
    double ring = (ranks - 1) / (double) ranks * params * bytesPerElement;
    return (stage == ZeroStage.PARAMETERS ? 3 : 2) * ring;
  }

  /** Latency hops per step at {@code stage}: the table's fourth column. */
  public static long latencyHops(ZeroStage stage, int layers, int ranks) {
    long hop = ranks - 1L;
    return switch (stage) {
      case DATA_PARALLEL, OPTIMIZER_STATE -> 2 * hop;
      case GRADIENTS -> (layers + 1L) * hop;
      case PARAMETERS -> 3L * layers * hop;
    };
  }

  /**
   * The step of {@code work} at {@code stage} on {@code ranks} ranks over {@code link}.
   *
   * @param bytesPerElement 4 for fp32 on the wire, 2 for 16 bits
   * @param overlap whether collectives on the communication thread hide behind compute
   * @param cores the cores all ranks share (a one-host check), or {@link Integer#MAX_VALUE}
   */
  public static Estimate predict(Workload work, Link link, ZeroStage stage, int ranks,
      int bytesPerElement, boolean overlap, int cores) {
    if (ranks < 1 || cores < 1 || bytesPerElement < 1) {
      throw new IllegalArgumentException("ranks " + ranks + ", cores " + cores + ", bytes per"
          + " element " + bytesPerElement + ": each must be at least 1");
    }
    double crowding = Math.max(1.0, ranks / (double) cores);
    double compute = work.computeS() * crowding;
    double optimizer = (stage.shardsOptimizerState() ? work.optimizerS() / ranks
        : work.optimizerS()) * crowding;
    if (ranks == 1) {
      return new Estimate(stage, ranks, compute, optimizer, 0, 0, compute + optimizer);
    }
    double perByte = crowding / link.bytesPerS();
    double ring = (ranks - 1) / (double) ranks * work.params() * bytesPerElement * perByte;
    long hop = ranks - 1L;
    double alpha = link.latencyS();
    int layers = work.layers();
    double comm = bytesSent(stage, work.params(), ranks, bytesPerElement) * perByte
        + latencyHops(stage, layers, ranks) * alpha;
    double exposed = comm;
    if (overlap) {
      double backward = compute * 2 / 3;
      double forward = compute / 3;
      if (stage == ZeroStage.GRADIENTS) {
        double reduceScatter = ring + layers * hop * alpha;
        double allGather = ring + hop * alpha;
        exposed = Math.max(0, reduceScatter - backward) + allGather;
      } else if (stage == ZeroStage.PARAMETERS) {
        double forwardGathers = ring + layers * hop * alpha;
        double backwardWork = 2 * (ring + layers * hop * alpha);
        exposed = Math.max(0, forwardGathers - forward) + Math.max(0, backwardWork - backward);
      }
    }
    return new Estimate(stage, ranks, compute, optimizer, comm, exposed,
        compute + optimizer + exposed);
  }

  /**
   * The smallest power of two in {@code [2, maxRanks]} at which {@code stage}'s step turns
   * communication-bound ({@link Estimate#communicationBound()}), or -1 if none does.
   */
  public static int communicationBoundFrom(Workload work, Link link, ZeroStage stage,
      int bytesPerElement, boolean overlap, int maxRanks) {
    for (int n = 2; n <= maxRanks; n *= 2) {
      if (predict(work, link, stage, n, bytesPerElement, overlap, Integer.MAX_VALUE)
          .communicationBound()) {
        return n;
      }
    }
    return -1;
  }
}
