package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.junit.jupiter.api.Test;

class SspKryoTest {

  private static <T> T roundTrip(T value, Class<T> type) {
    Kryo kryo = new Kryo();
    kryo.setRegistrationRequired(true);
    SspKryo.register(kryo);
    Output out = new Output(256, -1);
    kryo.writeObject(out, value);
    return kryo.readObject(new Input(out.toBytes()), type);
  }

  @Test
  void examplesAndScoresSurviveKryo() {
    SspExample example = roundTrip(new SspExample(7, 3, new float[] {1f, -2.5f}), SspExample.class);
    assertThat(example.id()).isEqualTo(7);
    assertThat(example.label()).isEqualTo(3);
    assertThat(example.embedding()).containsExactly(1f, -2.5f);
    assertThat(roundTrip(new ScoredExample(9, -1, 4, 0.25, 0.375), ScoredExample.class))
        .isEqualTo(new ScoredExample(9, -1, 4, 0.25, 0.375));
    // One cluster: no second centroid, and NaN survives as NaN.
    assertThat(roundTrip(new ScoredExample(9, -1, 0, 0.25, Double.NaN), ScoredExample.class).secondScore())
        .isNaN();
  }

  @Test
  void cachedUnitExamplesSurviveKryo() {
    UnitExample cached = UnitExample.of(new SspExample(5, 2, new float[] {3f, 4f}));
    UnitExample unit = roundTrip(cached, UnitExample.class);
    assertThat(unit.id()).isEqualTo(5);
    assertThat(unit.label()).isEqualTo(2);
    assertThat(unit.vector().toArray()).containsExactly(cached.vector().toArray())
        .containsExactly(new double[] {0.6, 0.8}, within(1e-15));
  }
}
