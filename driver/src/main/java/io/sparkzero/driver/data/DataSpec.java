package io.sparkzero.driver.data;

/**
 * Which data to train on: one of {@link IdxSpec}, {@link ParquetSpec} or {@link SyntheticSpec},
 * written in a job file as one string (see {@link #parse(String)}).
 */
public sealed interface DataSpec permits IdxSpec, ParquetSpec, SyntheticSpec {

  /** Classes assumed when the spec does not say: MNIST and Fashion-MNIST have 10. */
  int DEFAULT_NUM_CLASSES = 10;

  /** The source formats. */
  enum Format {
    /** IDX images + labels files (MNIST layout), gzipped or not. */
    IDX,
    /** Parquet with columns {@code id, label, features}. */
    PARQUET,
    /** Seeded synthetic data, nothing read. */
    SYNTHETIC
  }

  /** The format of this source. */
  Format format();

  /** Labels lie in {@code [0, numClasses)}. */
  int numClasses();

  /**
   * Whether the examples carry labels. Only IDX data can go without ({@code labels=none}): its
   * examples get the label {@link io.sparkzero.driver.data.IdxRecord#NO_LABEL}, which {@code prune}
   * reads as unlabelled and {@code train} refuses before Spark starts.
   */
  default boolean labeled() {
    return true;
  }

  /**
   * Parses a data spec:
   *
   * <pre>
   * [idx:]&lt;images-uri&gt;[,labels=&lt;uri&gt;|none][,classes=N]
   * [parquet:]&lt;uri&gt;[,classes=N][,features=N]
   * synthetic:n=N[,features=784][,classes=10][,seed=0][,noise=0.3]
   * </pre>
   *
   * The format prefix may be left out when the name tells: {@code .parquet} means Parquet and a
   * name ending in {@code idx3-ubyte} or {@code idx3-ubyte.gz} means IDX. URIs are any Hadoop
   * file system URI or a plain path, without commas. Examples: {@code
   * idx:/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz}, {@code
   * parquet:hdfs://nn/x.parquet,features=784}, {@code
   * synthetic:n=6000,features=784,classes=10,seed=7}.
   *
   * @throws IllegalArgumentException quoting the spec, saying what is wrong and showing the syntax
   */
  static DataSpec parse(String text) {
    return DataSpecParser.parse(text);
  }
}
