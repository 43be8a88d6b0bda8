// Energy follows what a kernel keeps busy (#16 item 3, docs/CostModel.md
// "The common last step"): power is the spec's idle share of board power
// plus the rest times the larger of the compute units' busy share and the
// memory's busy share times memory_power_fraction. So the chip that is
// fastest is not always the one that spends least energy, for a reason
// the hardware gives: EfficientNet's stride-2 depthwise 3x3 convolution
// (its conv2d_8) is fastest on Trainium2, whose TensorEngine is busy half
// of its 2.72 us, while the H200 spends its 5.03 us waiting on its launch
// at near-idle power.
// RUN: fungible-cost %s --targets=h200,trn2 | FileCheck %s
// RUN: fungible-cost %s --targets=h200,trn2 --explain=f/conv2d_0 | FileCheck %s --check-prefix=EXPLAIN

// H200: 5 us launch + 126336 bytes at 4800 GB/s x 0.82 (3.2098e-08 s) =
// 5.0321e-06 s; compute busy 1.653e-09 / 5.0321e-06 = 3.285e-04, memory
// busy 3.2098e-08 / 5.0321e-06 = 6.3786e-03; power 700 x (0.115 + 0.885 x
// max(3.285e-04, 0.64 x 6.3786e-03)) = 83.029 W; 4.178e-04 J.
// Trainium2: 1.42222e-06 s of TensorEngine cycles + 1.3 us step =
// 2.7222e-06 s; compute busy 0.52245; power 500 x (0.3 + 0.7 x 0.52245) =
// 332.857 W; 9.061e-04 J. With board power for the whole time (the model
// before) Trainium2 won both: 3.52e-03 J on the H200, 1.36e-03 J on it.
// CHECK: (time, s; * = cheapest)
// CHECK-NEXT: f/conv2d_0 contraction 110592 5.032e-06 2.722e-06*
// CHECK: (energy, J; * = cheapest)
// CHECK-NEXT: f/conv2d_0 contraction 110592 4.178e-04* 9.061e-04
// EXPLAIN: h200: 5.032098e-06 s, 4.178099e-04 J
// EXPLAIN: power 83.029 W (idle 0.115 of 700 W, compute busy 0.00032851, memory busy 0.00637856 at 0.64)
// EXPLAIN: trn2: 2.722222e-06 s, 9.061111e-04 J
// EXPLAIN: power 332.857 W (idle 0.3 of 500 W, compute busy 0.522449, memory busy 0.126274 at 0.6)

func.func @f(%x: tensor<1x16x16x96xf32>, %w: tensor<3x3x1x96xf32>) -> tensor<1x8x8x96xf32> {
  %0 = wl.conv2d %x, %w {groups = 96 : i64, padding = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x16x16x96xf32>, tensor<3x3x1x96xf32>) -> tensor<1x8x8x96xf32>
  return %0 : tensor<1x8x8x96xf32>
}
