/**
 * Micro-benchmarks of the model layer, run by hand ({@code java -cp ...}) to choose build options
 * by measurement, such as the ND4J CPU classifier in the parent POM.
 *
 * <p>Classifier comparison with {@code ModelThroughputBenchmark} (computeGradient, 1 thread,
 * {@code OMP_NUM_THREADS=1}), medians of samples per CPU-second over 3 interleaved rounds
 * (2 for resnet and lk-convnet) on a shared 2-core AMD EPYC (AVX2, no AVX-512):
 *
 * <pre>
 * model       batch  linux-x86_64-avx2  linux-x86_64  linux-x86_64-onednn-avx2
 * fmnist-cnn  128    65.8               66.1          61.4
 * wide-mlp    128    351.6              344.1         353.6
 * resnet      32     35.3               34.7          35.3
 * lk-convnet  32     9.4                9.4           100.3
 * </pre>
 *
 * Dense and convolution layers in DL4J 1.0.0-M2.1 run as GEMMs in the same bundled OpenBLAS
 * whatever the classifier, hence the ties. DL4J's layer-level oneDNN helpers are never enabled in
 * M2.1 ({@code BaseMKLDNNHelper.mklDnnEnabled()} looks up {@code
 * org.nd4j.nativeblas.Nd4jCpu$Environment}, a class that moved), so oneDNN only acts inside
 * libnd4j ops; there it speeds up the 13x13 depthwise convolution of {@code lk-convnet} tenfold.
 *
 * <p>{@code LayerProfile} splits the same pass by layer, timing each layer's forward and backward
 * from {@code LayerwisePass} hooks, and {@code deploy/bench/layer-profile.sh} sets it against
 * PyTorch's per-module times on one core, to show which layers make DL4J's pass slower.
 */
package io.sparkzero.bench.model;
