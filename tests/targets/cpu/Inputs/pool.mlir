// Pools the host vectorises as 1-D poolings per window row (the CPU's
// convolution schedule): EfficientNet's first squeeze (a global sum over
// 16 x 16 x 32), a ResNet stem's 3 x 3 / 2 max pool with padding (on 15 x
// 15 x 48: an odd width, tiles of one column), a 2 x 2 / 2 average pool
// and a global average over 7 x 7 x 80.
func.func @pools(%a: tensor<1x16x16x32xf32>, %b: tensor<1x15x15x48xf32>, %c: tensor<2x8x8x40xf32>, %d: tensor<1x7x7x80xf32>) -> (tensor<1x1x1x32xf32>, tensor<1x8x8x48xf32>, tensor<2x4x4x40xf32>, tensor<1x1x1x80xf32>) {
  %0 = wl.pool2d sum %a {window = array<i64: 16, 16>} : tensor<1x16x16x32xf32> -> tensor<1x1x1x32xf32>
  %1 = wl.pool2d max %b {window = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x15x15x48xf32> -> tensor<1x8x8x48xf32>
  %2 = wl.pool2d avg %c {window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<2x8x8x40xf32> -> tensor<2x4x4x40xf32>
  %3 = wl.pool2d avg %d {window = array<i64: 7, 7>} : tensor<1x7x7x80xf32> -> tensor<1x1x1x80xf32>
  return %0, %1, %2, %3 : tensor<1x1x1x32xf32>, tensor<1x8x8x48xf32>, tensor<2x4x4x40xf32>, tensor<1x1x1x80xf32>
}
