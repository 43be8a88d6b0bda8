// Two attentions whose scores (2 x 512 x 512 f32, 2 MiB) the host computes
// in tiles of 32 query rows: causal, and normalised after the product.
func.func @rows(%q: tensor<2x512x32xf32>, %k: tensor<2x512x32xf32>, %v: tensor<2x512x32xf32>) -> (tensor<2x512x32xf32>, tensor<2x512x32xf32>) {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  %1 = wl.attention %q, %k, %v {normalize_after} : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  return %0, %1 : tensor<2x512x32xf32>, tensor<2x512x32xf32>
}
