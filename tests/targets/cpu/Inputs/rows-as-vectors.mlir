// Elementwise ops on short rows: BERT's head transpose [B, S, H, D] ->
// [B, H, S, D] at a size on the threads (2^17 elements, rows of 64), one
// too small for threads (rows of 16), rows of 8 (32 bytes), rows of 128
// (512 bytes: LLVM's loop); a squeeze-excitation gate (sigmoid) broadcast
// over an image's rows of 40 channels, a batch norm's scale and shift
// over rows of 24 with ReLU; a concat of two [7, 7, 64, 1] halves along
// their channels (rows of 64 followed by a unit dimension).
func.func @rows(%a: tensor<8x64x4x64xf32>, %b: tensor<2x12x4x16xf32>, %c: tensor<4x32x16x8xf32>, %d: tensor<4x8x3x128xf32>, %x: tensor<1x28x28x40xf32>, %g: tensor<1x1x1x40xf32>, %y: tensor<1x14x14x24xf32>, %s: tensor<24xf32>, %t: tensor<24xf32>, %u: tensor<7x7x64x1xf32>, %v: tensor<7x7x64x1xf32>) -> (tensor<8x4x64x64xf32>, tensor<2x4x12x16xf32>, tensor<4x16x32x8xf32>, tensor<8x4x3x128xf32>, tensor<1x28x28x40xf32>, tensor<1x14x14x24xf32>, tensor<7x7x128x1xf32>) {
  %0 = wl.transpose %a perm = [0, 2, 1, 3] : tensor<8x64x4x64xf32> -> tensor<8x4x64x64xf32>
  %1 = wl.transpose %b perm = [0, 2, 1, 3] : tensor<2x12x4x16xf32> -> tensor<2x4x12x16xf32>
  %2 = wl.transpose %c perm = [0, 2, 1, 3] : tensor<4x32x16x8xf32> -> tensor<4x16x32x8xf32>
  %3 = wl.transpose %d perm = [1, 0, 2, 3] : tensor<4x8x3x128xf32> -> tensor<8x4x3x128xf32>
  %4 = wl.sigmoid %g : tensor<1x1x1x40xf32>
  %5 = wl.mul %x, %4 : (tensor<1x28x28x40xf32>, tensor<1x1x1x40xf32>) -> tensor<1x28x28x40xf32>
  %6 = wl.mul %y, %s : (tensor<1x14x14x24xf32>, tensor<24xf32>) -> tensor<1x14x14x24xf32>
  %7 = wl.add %6, %t : (tensor<1x14x14x24xf32>, tensor<24xf32>) -> tensor<1x14x14x24xf32>
  %8 = wl.relu %7 : tensor<1x14x14x24xf32>
  %9 = wl.concat %u, %v dim = 2 : (tensor<7x7x64x1xf32>, tensor<7x7x64x1xf32>) -> tensor<7x7x128x1xf32>
  return %0, %1, %2, %3, %5, %8, %9 : tensor<8x4x64x64xf32>, tensor<2x4x12x16xf32>, tensor<4x16x32x8xf32>, tensor<8x4x3x128xf32>, tensor<1x28x28x40xf32>, tensor<1x14x14x24xf32>, tensor<7x7x128x1xf32>
}
