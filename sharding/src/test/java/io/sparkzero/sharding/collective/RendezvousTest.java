package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendezvousTest {

  @Test
  void localRendezvousServesManyRoundsInRankOrder() throws Exception {
    List<String[][]> results = RankThreads.run(3, rendezvous -> {
      String[][] rounds = new String[5][];
      for (int k = 0; k < 5; k++) {
        rounds[k] = rendezvous.allGather("r" + rendezvous.rank() + "k" + k);
      }
      return rounds;
    });
    for (String[][] rounds : results) {
      for (int k = 0; k < 5; k++) {
        assertThat(rounds[k]).containsExactly("r0k" + k, "r1k" + k, "r2k" + k);
      }
    }
  }

  @Test
  void fileRendezvousServesManyRoundsAcrossInstances(@TempDir Path dir) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<String[][]>> futures = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        FileRendezvous rendezvous = new FileRendezvous(dir, r, 3, 10_000);
        futures.add(pool.submit(() -> {
          String[][] rounds = new String[4][];
          for (int k = 0; k < 4; k++) {
            rounds[k] = rendezvous.allGather("rank " + rendezvous.rank() + " round " + k + "\nend");
          }
          return rounds;
        }));
      }
      for (Future<String[][]> future : futures) {
        String[][] rounds = future.get(20, TimeUnit.SECONDS);
        for (int k = 0; k < 4; k++) {
          assertThat(rounds[k]).containsExactly("rank 0 round " + k + "\nend",
              "rank 1 round " + k + "\nend", "rank 2 round " + k + "\nend");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fileRendezvousTimesOutNamingTheMissingRanks(@TempDir Path dir) {
    FileRendezvous rank1 = new FileRendezvous(dir, 1, 4, 200);

    assertThatThrownBy(() -> rank1.allGather("x"))
        .hasMessageContaining("ranks [0, 2, 3] did not write")
        .hasMessageContaining(dir.toString());
  }

  @Test
  void localRendezvousTimesOutWhenARankNeverArrives() {
    Rendezvous lonely = LocalRendezvous.group(2, 100).get(0);

    assertThatThrownBy(() -> lonely.allGather("x"))
        .hasMessageContaining("not all 2 ranks arrived");
  }
}
