// Energy follows what a kernel keeps busy (#16 item 3, docs/CostModel.md
// "The common last step"): power is the spec's idle share of board power
// plus the rest times the larger of the compute units' busy share and the
// memory's busy share times memory_power_fraction. So the chip that is
// fastest is not always the one that spends least energy, for a reason
// the hardware gives: EfficientNet's stride-2 depthwise 3x3 convolution
// (its conv2d_8) is fastest on Trainium1, whose DMA queues are busy for
// 43% of its 2.26 us re-reading the input window for every tap (the
// Vector engine folds the taps, as the lowering writes it), while the
// H200 spends its 5.3 us waiting on its launch and a chain of 18 dependent
// steps at near-idle power.
// RUN: fungible-cost %s --targets=h200,trn1 | FileCheck %s
// RUN: fungible-cost %s --targets=h200,trn1 --explain=f/conv2d_0 | FileCheck %s --check-prefix=EXPLAIN

// H200: the lowering runs it on the CUDA cores (GpuSchedule.h): tiles of
// 8 columns x 24 channels over 32 CTAs, one output a thread, so 192 outputs
// a CTA take 2 rounds of its 128 threads, 9 taps each: 18 serial steps and
// 32 x 128 x 18 = 73728 FMAs launched. A warp's lanes take 8 pixels of 4
// adjacent channels: a step loads 8 input sectors (the pixels are 96
// channels apart) and 1 filter sector, 9 sectors for 4 warps x 2 rounds x
// 9 taps x 32 CTAs: 20736 sectors, priced as 8 lanes' loads each (165888).
// Compute 2 x 73728 / 66.9 TFLOP/s + 165888 / 33.45 T / 0.25 = 2.20413e-08
// s; memory 126336 bytes at 4800 GB/s x 0.82 = 3.2098e-08 s; the 18 steps
// at 17.5 ns, 3.15e-07 s, are longer than both: 5 us launch + 3.15e-07 =
// 5.315e-06 s. Compute busy 2.20413e-08 / 5.315e-06 = 4.1470e-03, memory
// busy 3.2098e-08 / 5.315e-06 = 6.0391e-03; power 700 x (0.115 + 0.885 x
// max(4.1470e-03, 0.64 x 6.0391e-03)) = 83.069 W; 4.4151e-04 J.
// Trainium1: the 9 taps' windows of 96 channels x (64 outputs + 1 weight)
// x 4 bytes (224640) and the 24576-byte output, 249216 bytes over DMA at
// min(HBM, 2 cores x 272 GB/s) = 544 GB/s x (249216 / 128 partitions /
// 4096 = 0.47531) = 258.57 GB/s: 9.6377e-07 s, + 1.3 us = 2.26377e-06 s;
// memory busy 0.425735; power 500 x (0.3 + 0.7 x max(0.0177, 0.6 x
// 0.425735)) = 239.404 W; 5.4196e-04 J. (Priced as a GEMM per channel on
// the TensorEngine, as before the lowering folded the taps on the Vector
// engine, Trainium2 made the example: its TensorEngine busy half its
// 2.72 us.)
// CHECK: (time, s; * = cheapest)
// CHECK-NEXT: f/conv2d_0 contraction 110592 5.315e-06 2.264e-06*
// CHECK: (energy, J; * = cheapest)
// CHECK-NEXT: f/conv2d_0 contraction 110592 4.415e-04* 5.420e-04
// EXPLAIN: h200: 5.315000e-06 s, 4.415121e-04 J
// EXPLAIN: wl.conv2d on the CUDA cores: 32 CTAs of 128 threads with work, 1x1 outputs a thread, 18 steps a thread in 1 waves;
// EXPLAIN-SAME: 18 serial steps at 17.5 ns: 3.15e-07 s (longer than the throughput's time: the rest is waiting); compute 2.20413e-08 s, memory 3.20976e-08 s, overhead 5.2829e-06 s; power 83.0691 W (idle 0.115 of 700 W, compute busy 0.00414699, memory busy 0.00603905 at 0.64)
// EXPLAIN: trn1: 2.263765e-06 s, 5.419553e-04 J
// EXPLAIN: power 239.404 W (idle 0.3 of 500 W, compute busy 0.0177004, memory busy 0.425735 at 0.6)

func.func @f(%x: tensor<1x16x16x96xf32>, %w: tensor<3x3x1x96xf32>) -> tensor<1x8x8x96xf32> {
  %0 = wl.conv2d %x, %w {groups = 96 : i64, padding = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x16x16x96xf32>, tensor<3x3x1x96xf32>) -> tensor<1x8x8x96xf32>
  return %0 : tensor<1x8x8x96xf32>
}
