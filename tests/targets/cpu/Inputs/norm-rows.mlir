// Three row-wise chains the host computes in tiles of rows
// (fungible-cpu-tile-norm-rows): a layer norm over 256 x 512 (tiles of 128
// rows), an RMS norm over 4 x 64 x 256 (tiles of one of 4 and all 64 rows)
// and a softmax over 2 x 128 x 512 (tiles of one of 2 and all 128 rows).
func.func @rows(%x: tensor<256x512xf32>, %g: tensor<512xf32>, %b: tensor<512xf32>, %y: tensor<4x64x256xf32>, %h: tensor<256xf32>, %s: tensor<2x128x512xf32>) -> (tensor<256x512xf32>, tensor<4x64x256xf32>, tensor<2x128x512xf32>) {
  %0 = wl.layer_norm %x, %g, %b {epsilon = 1.0e-5 : f64} : (tensor<256x512xf32>, tensor<512xf32>, tensor<512xf32>) -> tensor<256x512xf32>
  %1 = wl.rms_norm %y, %h : (tensor<4x64x256xf32>, tensor<256xf32>) -> tensor<4x64x256xf32>
  %2 = wl.softmax %s axis = 2 : tensor<2x128x512xf32>
  return %0, %1, %2 : tensor<256x512xf32>, tensor<4x64x256xf32>, tensor<2x128x512xf32>
}
