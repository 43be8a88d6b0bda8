// The convolutions tests/targets/cpu/conv.mlir runs through fungible-run
// (check_conv.py's CONVS, in order).
func.func @numbers(%x0: tensor<1x10x12x16xf32>, %w0: tensor<3x3x16x40xf32>, %x1: tensor<1x11x11x24xf32>, %w1: tensor<3x3x1x24xf32>, %x2: tensor<1x9x9x64xf32>, %w2: tensor<3x3x64x128xf32>, %x3: tensor<1x6x7x8xf32>, %w3: tensor<1x1x8x3xf32>, %x4: tensor<1x5x6x40xf32>, %w4: tensor<1x1x40x24xf32>) -> (tensor<1x8x5x40xf32>, tensor<1x5x5x24xf32>, tensor<1x7x7x128xf32>, tensor<1x6x7x3xf32>, tensor<1x5x6x24xf32>) {
  %0 = wl.conv2d %x0, %w0 {strides = array<i64: 1, 2>} : (tensor<1x10x12x16xf32>, tensor<3x3x16x40xf32>) -> tensor<1x8x5x40xf32>
  %1 = wl.conv2d %x1, %w1 {groups = 24 : i64, strides = array<i64: 2, 2>} : (tensor<1x11x11x24xf32>, tensor<3x3x1x24xf32>) -> tensor<1x5x5x24xf32>
  %2 = wl.conv2d %x2, %w2 : (tensor<1x9x9x64xf32>, tensor<3x3x64x128xf32>) -> tensor<1x7x7x128xf32>
  %3 = wl.conv2d %x3, %w3 : (tensor<1x6x7x8xf32>, tensor<1x1x8x3xf32>) -> tensor<1x6x7x3xf32>
  %4 = wl.conv2d %x4, %w4 : (tensor<1x5x6x40xf32>, tensor<1x1x40x24xf32>) -> tensor<1x5x6x24xf32>
  return %0, %1, %2, %3, %4 : tensor<1x8x5x40xf32>, tensor<1x5x5x24xf32>, tensor<1x7x7x128xf32>, tensor<1x6x7x3xf32>, tensor<1x5x6x24xf32>
}
