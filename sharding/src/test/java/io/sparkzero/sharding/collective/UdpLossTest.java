package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;

import io.aeron.AeronCounters;
import io.aeron.driver.status.SystemCounterDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;

/**
 * Collectives over a lossy network stay exact: the media driver is started with Aeron's
 * loss-generating debug endpoints, which drop 5% of the data frames every receiver reads, and
 * Aeron's NAKs and retransmits must repair every loss before a rank sees its data.
 */
class UdpLossTest {
  private static final long TOKEN = 0x5EED_0105L;
  private static final Map<String, String> LOSSY_DRIVER = Map.of(
      "aeron.ReceiveChannelEndpoint.supplier",
      "io.aeron.driver.ext.DebugReceiveChannelEndpointSupplier",
      "aeron.debug.receive.data.loss.rate", "0.05",
      "aeron.debug.receive.data.loss.seed", "20261207");

  @Test
  void fivePercentDataLossLeavesEveryAllReduceExact() throws Exception {
    Path dir = TestAeron.freshDir();
    // Set for the whole test: the driver reads the supplier when it starts, the loss rate when it
    // opens its first UDP endpoint.
    LOSSY_DRIVER.forEach(System::setProperty);
    AeronRuntime runtime = TestAeron.startRuntime(dir);
    try {
      int n = 3;
      int length = 200_003;
      CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, Transport.UDP).build();
      List<float[]> results = RankThreads.run(n, rendezvous -> {
        try (Collectives c = AeronCollectives.create(rendezvous, options, runtime)) {
          float[] data = CollectivesParityTest.integers(c.rank(), length, 9);
          for (int round = 0; round < 3; round++) {
            c.allReduceSum(data, 0, length);
          }
          return data;
        }
      });
      float[] expected = new float[length];
      for (int r = 0; r < n; r++) {
        float[] mine = CollectivesParityTest.integers(r, length, 9);
        for (int i = 0; i < length; i++) {
          expected[i] += mine[i];
        }
      }
      for (int i = 0; i < length; i++) {
        expected[i] *= n * n; // two more all-reduces of equal arrays
      }
      for (int r = 0; r < n; r++) {
        FloatArrays.assertEqual(results.get(r), expected, "rank " + r + " after 3 lossy all-reduces");
      }
      CountersReader counters = runtime.aeron().countersReader();
      assertThat(systemCounter(counters, SystemCounterDescriptor.NAK_MESSAGES_SENT.id()))
          .as("NAKs sent: frames were lost and asked for again").isPositive();
      assertThat(systemCounter(counters, SystemCounterDescriptor.RETRANSMITS_SENT.id()))
          .as("retransmits sent").isPositive();
    } finally {
      runtime.close();
      Files.deleteIfExists(EmbeddedDriver.lockFile(dir));
      LOSSY_DRIVER.keySet().forEach(System::clearProperty);
    }
  }

  private static long systemCounter(CountersReader counters, int systemCounterId) {
    long[] value = {-1};
    counters.forEach((counterId, typeId, keyBuffer, label) -> {
      if (typeId == AeronCounters.DRIVER_SYSTEM_COUNTER_TYPE_ID
          && keyBuffer.getInt(0) == systemCounterId) {
        value[0] = counters.getCounterValue(counterId);
      }
    });
    return value[0];
  }
}
