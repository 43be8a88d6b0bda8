// Transposes whose output rows are shorter than the CPU's 8 x 8 blocks:
// VGG's last NHWC -> NCHW (7 x 7 images, here 5 x 5 x 48), one of two
// images of 3 x 7 x 40, and one of 4 x 4 x 4096 (2^16 elements: on the
// threads). Each becomes a transpose of rows of H x W elements. And the
// torchvision models' input NCHW -> NHWC of 3 channels (rows of 3 around
// one loop of 32 x 32 pixels).
func.func @transposes(%a: tensor<1x5x5x48xf32>, %b: tensor<2x3x7x40xf32>, %c: tensor<1x4x4x4096xf32>, %d: tensor<1x3x32x32xf32>) -> (tensor<1x48x5x5xf32>, tensor<2x40x3x7xf32>, tensor<1x4096x4x4xf32>, tensor<1x32x32x3xf32>) {
  %0 = wl.transpose %a perm = [0, 3, 1, 2] : tensor<1x5x5x48xf32> -> tensor<1x48x5x5xf32>
  %1 = wl.transpose %b perm = [0, 3, 1, 2] : tensor<2x3x7x40xf32> -> tensor<2x40x3x7xf32>
  %2 = wl.transpose %c perm = [0, 3, 1, 2] : tensor<1x4x4x4096xf32> -> tensor<1x4096x4x4xf32>
  %3 = wl.transpose %d perm = [0, 2, 3, 1] : tensor<1x3x32x32xf32> -> tensor<1x32x32x3xf32>
  return %0, %1, %2, %3 : tensor<1x48x5x5xf32>, tensor<2x40x3x7xf32>, tensor<1x4096x4x4xf32>, tensor<1x32x32x3xf32>
}
