// Four attentions whose scores the host computes in tiles of query rows:
// causal and normalised after the product (2 x 512 x 512 f32, 2 MiB, tiles
// of 256 rows); grouped-query with a mask (4 heads sharing each of 2 K/V
// heads, 2 x 1024 x 256, 2 MiB, tiles of 256 of a group's rows, one head's);
// causal over 4-D [batch, heads, rows, D] operands (2 x 4 heads, 2 MiB,
// tiles of 128).
func.func @rows(%q: tensor<2x512x32xf32>, %k: tensor<2x512x32xf32>, %v: tensor<2x512x32xf32>, %gq: tensor<2x4x256x32xf32>, %gk: tensor<2x1x256x32xf32>, %gv: tensor<2x1x256x32xf32>, %mask: tensor<256x256xf32>, %hk: tensor<2x4x256x32xf32>, %hv: tensor<2x4x256x32xf32>) -> (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x4x256x32xf32>, tensor<2x4x256x32xf32>) {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  %1 = wl.attention %q, %k, %v {normalize_after} : (tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x512x32xf32>) -> tensor<2x512x32xf32>
  %2 = wl.attention %gq, %gk, %gv mask %mask {scale = 0.17677669529663687 : f64} : (tensor<2x4x256x32xf32>, tensor<2x1x256x32xf32>, tensor<2x1x256x32xf32>, tensor<256x256xf32>) -> tensor<2x4x256x32xf32>
  %3 = wl.attention %gq, %hk, %hv {causal} : (tensor<2x4x256x32xf32>, tensor<2x4x256x32xf32>, tensor<2x4x256x32xf32>) -> tensor<2x4x256x32xf32>
  return %0, %1, %2, %3 : tensor<2x512x32xf32>, tensor<2x512x32xf32>, tensor<2x4x256x32xf32>, tensor<2x4x256x32xf32>
}
