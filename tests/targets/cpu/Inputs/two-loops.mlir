// An exp then a transpose of 512 x 256 (2^17 elements each): two parallel
// loops of one kernel, the transpose's buffer allocated between them.
func.func @f(%a: tensor<512x256xf32>) -> tensor<256x512xf32> {
  %0 = wl.exp %a : tensor<512x256xf32>
  %1 = wl.transpose %0 perm = [1, 0] : tensor<512x256xf32> -> tensor<256x512xf32>
  return %1 : tensor<256x512xf32>
}
