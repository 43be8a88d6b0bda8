// Kernels as wl-outline-kernels makes them, one function each, that the
// GPU lowering must turn into one gpu.launch (fused.mlir). Not a test by
// itself.

// A norm: two row reductions and the normalisation, one tile of rows.
func.func @layer_norm(%x: tensor<64x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> tensor<64x768xf32> {
  %0 = wl.layer_norm %x, %g, %b {epsilon = 1.0E-5 : f64} : (tensor<64x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<64x768xf32>
  return %0 : tensor<64x768xf32>
}
// Softmax over the last of three dims (max, exp-sum, divide).
func.func @softmax(%x: tensor<4x50x60xf32>) -> tensor<4x50x60xf32> {
  %0 = wl.softmax %x axis = 2 : tensor<4x50x60xf32>
  return %0 : tensor<4x50x60xf32>
}
// An f32 matmul with its epilogue; 130 columns take tiles of 65.
func.func @matmul_bias_gelu(%a: tensor<96x80xf32>, %w: tensor<80x130xf32>, %bias: tensor<130xf32>) -> tensor<96x130xf32> {
  %0 = wl.matmul %a, %w : (tensor<96x80xf32>, tensor<80x130xf32>) -> tensor<96x130xf32>
  %1 = wl.add %0, %bias : (tensor<96x130xf32>, tensor<130xf32>) -> tensor<96x130xf32>
  %2 = wl.gelu %1 {approximate} : tensor<96x130xf32>
  return %2 : tensor<96x130xf32>
}
// A bf16 matmul with bias and residual (the tensor-core CTA on the GPU).
func.func @matmul_bf16_residual(%a: tensor<128x64xbf16>, %w: tensor<64x192xbf16>, %bias: tensor<192xbf16>, %r: tensor<128x192xbf16>) -> tensor<128x192xbf16> {
  %0 = wl.matmul %a, %w : (tensor<128x64xbf16>, tensor<64x192xbf16>) -> tensor<128x192xbf16>
  %1 = wl.add %0, %bias : (tensor<128x192xbf16>, tensor<192xbf16>) -> tensor<128x192xbf16>
  %2 = wl.add %r, %1 : (tensor<128x192xbf16>, tensor<128x192xbf16>) -> tensor<128x192xbf16>
  return %2 : tensor<128x192xbf16>
}
// A padded convolution with bias and ReLU: the pad of each tile's input
// window is computed in the tile.
func.func @conv_pad_relu(%x: tensor<1x10x12x8xf32>, %w: tensor<3x3x8x16xf32>, %bias: tensor<1x1x1x16xf32>) -> tensor<1x10x12x16xf32> {
  %0 = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x10x12x8xf32>, tensor<3x3x8x16xf32>) -> tensor<1x10x12x16xf32>
  %1 = wl.add %0, %bias : (tensor<1x10x12x16xf32>, tensor<1x1x1x16xf32>) -> tensor<1x10x12x16xf32>
  %2 = wl.relu %1 : tensor<1x10x12x16xf32>
  return %2 : tensor<1x10x12x16xf32>
}
// A batch matmul whose heads are split and transposed on the way out
// (a reshape between the contraction and the tiled op).
func.func @bmm_heads(%q: tensor<2x16x24xf32>, %k: tensor<2x24x8xf32>) -> tensor<8x32xf32> {
  %0 = wl.batch_matmul %q, %k : (tensor<2x16x24xf32>, tensor<2x24x8xf32>) -> tensor<2x16x8xf32>
  %1 = wl.reshape %0 : tensor<2x16x8xf32> -> tensor<2x2x8x8xf32>
  %2 = wl.transpose %1 perm = [2, 0, 1, 3] : tensor<2x2x8x8xf32> -> tensor<8x2x2x8xf32>
  %3 = wl.reshape %2 : tensor<8x2x2x8xf32> -> tensor<8x32xf32>
  return %3 : tensor<8x32xf32>
}

// A depthwise 3x3 convolution with stride 2 and padding, bias and ReLU6.
func.func @depthwise_relu6(%x: tensor<1x14x14x24xf32>, %w: tensor<3x3x1x24xf32>, %b: tensor<1x1x1x24xf32>) -> tensor<1x7x7x24xf32> {
  %0 = wl.conv2d %x, %w {groups = 24 : i64, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x14x14x24xf32>, tensor<3x3x1x24xf32>) -> tensor<1x7x7x24xf32>
  %1 = wl.add %0, %b : (tensor<1x7x7x24xf32>, tensor<1x1x1x24xf32>) -> tensor<1x7x7x24xf32>
  %2 = wl.relu %1 : tensor<1x7x7x24xf32>
  %cst = arith.constant dense<6.000000e+00> : tensor<1x1x1x1xf32>
  %3 = wl.min %2, %cst : (tensor<1x7x7x24xf32>, tensor<1x1x1x1xf32>) -> tensor<1x7x7x24xf32>
  return %3 : tensor<1x7x7x24xf32>
}

// Two results: a matmul with its bias, and the transpose of that sum. The
// transpose is tiled; the tiles write their slice of the sum as well.
func.func @two_results(%a: tensor<64x48xf32>, %w: tensor<48x96xf32>, %b: tensor<96xf32>) -> (tensor<64x96xf32>, tensor<96x64xf32>) {
  %0 = wl.matmul %a, %w : (tensor<64x48xf32>, tensor<48x96xf32>) -> tensor<64x96xf32>
  %1 = wl.add %0, %b : (tensor<64x96xf32>, tensor<96xf32>) -> tensor<64x96xf32>
  %2 = wl.transpose %1 perm = [1, 0] : tensor<64x96xf32> -> tensor<96x64xf32>
  return %1, %2 : tensor<64x96xf32>, tensor<96x64xf32>
}

// A QKV split: one matmul with bias, three column blocks each split into
// heads and transposed heads-first. Three independent results: each is
// tiled alike and the three tile loops merged into one; each tile computes
// the matmul block its result needs (no block twice).
func.func @qkv_split(%x: tensor<80x24xf32>, %w: tensor<24x96xf32>, %b: tensor<96xf32>) -> (tensor<4x80x8xf32>, tensor<4x80x8xf32>, tensor<4x80x8xf32>) {
  %0 = wl.matmul %x, %w : (tensor<80x24xf32>, tensor<24x96xf32>) -> tensor<80x96xf32>
  %1 = wl.add %0, %b : (tensor<80x96xf32>, tensor<96xf32>) -> tensor<80x96xf32>
  %2 = wl.slice %1 offsets = [0, 0] {strides = array<i64: 1, 1>} : tensor<80x96xf32> -> tensor<80x32xf32>
  %3 = wl.reshape %2 : tensor<80x32xf32> -> tensor<80x4x8xf32>
  %4 = wl.transpose %3 perm = [1, 0, 2] : tensor<80x4x8xf32> -> tensor<4x80x8xf32>
  %5 = wl.slice %1 offsets = [0, 32] {strides = array<i64: 1, 1>} : tensor<80x96xf32> -> tensor<80x32xf32>
  %6 = wl.reshape %5 : tensor<80x32xf32> -> tensor<80x4x8xf32>
  %7 = wl.transpose %6 perm = [1, 0, 2] : tensor<80x4x8xf32> -> tensor<4x80x8xf32>
  %8 = wl.slice %1 offsets = [0, 64] {strides = array<i64: 1, 1>} : tensor<80x96xf32> -> tensor<80x32xf32>
  %9 = wl.reshape %8 : tensor<80x32xf32> -> tensor<80x4x8xf32>
  %10 = wl.transpose %9 perm = [1, 0, 2] : tensor<80x4x8xf32> -> tensor<4x80x8xf32>
  return %4, %7, %10 : tensor<4x80x8xf32>, tensor<4x80x8xf32>, tensor<4x80x8xf32>
}

// A matmul accumulating into an input (the accumulator operand), then ReLU.
func.func @matmul_acc_relu(%a: tensor<64x40xf32>, %w: tensor<40x48xf32>, %c: tensor<64x48xf32>) -> tensor<64x48xf32> {
  %0 = wl.matmul %a, %w acc %c : (tensor<64x40xf32>, tensor<40x48xf32>, tensor<64x48xf32>) -> tensor<64x48xf32>
  %1 = wl.relu %0 : tensor<64x48xf32>
  return %1 : tensor<64x48xf32>
}

// The QKV split returning views (a reshape of each result, as GPT-2 at
// batch 8 returns them): the views move to the return so that the merged
// tile loop can take the last loop's place.
func.func @qkv_split_views(%x: tensor<80x24xf32>, %w: tensor<24x96xf32>) -> (tensor<320x8xf32>, tensor<320x8xf32>, tensor<320x8xf32>) {
  %1 = wl.matmul %x, %w : (tensor<80x24xf32>, tensor<24x96xf32>) -> tensor<80x96xf32>
  %2 = wl.slice %1 offsets = [0, 0] {strides = array<i64: 1, 1>} : tensor<80x96xf32> -> tensor<80x32xf32>
  %3 = wl.reshape %2 : tensor<80x32xf32> -> tensor<80x4x8xf32>
  %4 = wl.transpose %3 perm = [1, 0, 2] : tensor<80x4x8xf32> -> tensor<4x80x8xf32>
  %r0 = wl.reshape %4 : tensor<4x80x8xf32> -> tensor<320x8xf32>
  %5 = wl.slice %1 offsets = [0, 32] {strides = array<i64: 1, 1>} : tensor<80x96xf32> -> tensor<80x32xf32>
  %6 = wl.reshape %5 : tensor<80x32xf32> -> tensor<80x4x8xf32>
  %7 = wl.transpose %6 perm = [1, 0, 2] : tensor<80x4x8xf32> -> tensor<4x80x8xf32>
  %r1 = wl.reshape %7 : tensor<4x80x8xf32> -> tensor<320x8xf32>
  %8 = wl.slice %1 offsets = [0, 64] {strides = array<i64: 1, 1>} : tensor<80x96xf32> -> tensor<80x32xf32>
  %9 = wl.reshape %8 : tensor<80x32xf32> -> tensor<80x4x8xf32>
  %10 = wl.transpose %9 perm = [1, 0, 2] : tensor<80x4x8xf32> -> tensor<4x80x8xf32>
  %r2 = wl.reshape %10 : tensor<4x80x8xf32> -> tensor<320x8xf32>
  return %r0, %r1, %r2 : tensor<320x8xf32>, tensor<320x8xf32>, tensor<320x8xf32>
}

// A 3x3 convolution over 256 channels: a tile's padded input window
// (3 x 18 x 256 floats, 55296 bytes) does not fit in 48 KiB of shared
// memory, so each CTA takes its slice of a global scratch buffer.
func.func @conv_scratch(%x: tensor<1x4x64x256xf32>, %w: tensor<3x3x256x64xf32>) -> tensor<1x4x64x64xf32> {
  %0 = wl.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x64x256xf32>, tensor<3x3x256x64xf32>) -> tensor<1x4x64x64xf32>
  %1 = wl.relu %0 : tensor<1x4x64x64xf32>
  return %1 : tensor<1x4x64x64xf32>
}

// Attention with an additive mask (broadcast over the heads), and
// grouped-query attention (2 query heads per key/value head, a shared mask,
// causal): one kernel each, the scores in shared memory and registers.
func.func @attention_mask(%q: tensor<2x64x32xf32>, %k: tensor<2x80x32xf32>, %v: tensor<2x80x16xf32>, %m: tensor<64x80xf32>) -> tensor<2x64x16xf32> {
  %0 = wl.attention %q, %k, %v mask %m {scale = 1.250000e-01 : f64} : (tensor<2x64x32xf32>, tensor<2x80x32xf32>, tensor<2x80x16xf32>, tensor<64x80xf32>) -> tensor<2x64x16xf32>
  return %0 : tensor<2x64x16xf32>
}
func.func @attention_gqa(%q: tensor<2x2x32x16xf32>, %k: tensor<2x1x48x16xf32>, %v: tensor<2x1x48x16xf32>, %m: tensor<32x48xf32>) -> tensor<2x2x32x16xf32> {
  %0 = wl.attention %q, %k, %v mask %m {causal} : (tensor<2x2x32x16xf32>, tensor<2x1x48x16xf32>, tensor<2x1x48x16xf32>, tensor<32x48xf32>) -> tensor<2x2x32x16xf32>
  return %0 : tensor<2x2x32x16xf32>
}
// bf16 (wl.attention's precision: the probabilities rounded to bf16 for
// the product with V, which accumulates in f32; the result rounded once).
func.func @attention_bf16(%q: tensor<2x2x32x16xbf16>, %k: tensor<2x1x48x16xbf16>, %v: tensor<2x1x48x16xbf16>, %m: tensor<32x48xbf16>) -> tensor<2x2x32x16xbf16> {
  %0 = wl.attention %q, %k, %v mask %m {causal} : (tensor<2x2x32x16xbf16>, tensor<2x1x48x16xbf16>, tensor<2x1x48x16xbf16>, tensor<32x48xbf16>) -> tensor<2x2x32x16xbf16>
  return %0 : tensor<2x2x32x16xbf16>
}

// Concats of equal pieces. SqueezeNet's fire module as the import leaves
// it: a 1x1 convolution's ReLU, viewed with a trailing unit dimension,
// beside the other expand convolution's result (an argument: another
// kernel's), concatenated on the channels. And three pieces on the rows,
// a matmul's among them.
func.func @fire_concat(%x: tensor<1x6x5x8xf32>, %w: tensor<1x1x8x12xf32>, %b: tensor<1x1x1x12xf32>, %other: tensor<6x5x12x1xf32>) -> tensor<1x6x5x24xf32> {
  %0 = wl.conv2d %x, %w : (tensor<1x6x5x8xf32>, tensor<1x1x8x12xf32>) -> tensor<1x6x5x12xf32>
  %1 = wl.add %0, %b : (tensor<1x6x5x12xf32>, tensor<1x1x1x12xf32>) -> tensor<1x6x5x12xf32>
  %2 = wl.relu %1 : tensor<1x6x5x12xf32>
  %3 = wl.reshape %2 : tensor<1x6x5x12xf32> -> tensor<6x5x12x1xf32>
  %4 = wl.concat %3, %other dim = 2 : (tensor<6x5x12x1xf32>, tensor<6x5x12x1xf32>) -> tensor<6x5x24x1xf32>
  %5 = wl.reshape %4 : tensor<6x5x24x1xf32> -> tensor<1x6x5x24xf32>
  return %5 : tensor<1x6x5x24xf32>
}
func.func @concat_rows(%a: tensor<20x24xf32>, %w: tensor<24x36xf32>, %x: tensor<20x36xf32>, %y: tensor<20x36xf32>) -> tensor<60x36xf32> {
  %0 = wl.matmul %a, %w : (tensor<20x24xf32>, tensor<24x36xf32>) -> tensor<20x36xf32>
  %1 = wl.relu %x : tensor<20x36xf32>
  %2 = wl.concat %1, %0, %y dim = 0 : (tensor<20x36xf32>, tensor<20x36xf32>, tensor<20x36xf32>) -> tensor<60x36xf32>
  return %2 : tensor<60x36xf32>
}

// An f32 matmul large enough for 52x55 tiles (20 x 20 CTAs): each thread
// keeps 4x4 outputs in registers, the last block column overhanging the
// tile by one; K = 35 is not unrolled.
func.func @matmul_blocks(%a: tensor<1040x35xf32>, %w: tensor<35x1100xf32>, %bias: tensor<1100xf32>) -> tensor<1040x1100xf32> {
  %0 = wl.matmul %a, %w : (tensor<1040x35xf32>, tensor<35x1100xf32>) -> tensor<1040x1100xf32>
  %1 = wl.add %0, %bias : (tensor<1040x1100xf32>, tensor<1100xf32>) -> tensor<1040x1100xf32>
  %2 = wl.relu %1 : tensor<1040x1100xf32>
  return %2 : tensor<1040x1100xf32>
}

// A bf16 matmul and nothing else: not tiled, the standalone kernel takes
// it (tests/targets/gpu/wgmma.mlir).
func.func @matmul_bf16_alone(%a: tensor<256x512xbf16>, %w: tensor<512x384xbf16>) -> tensor<256x384xbf16> {
  %0 = wl.matmul %a, %w : (tensor<256x512xbf16>, tensor<512x384xbf16>) -> tensor<256x384xbf16>
  return %0 : tensor<256x384xbf16>
}

// A softmax over rows of 10240: each row in one tile (its sums computed
// once), split into 128 lanes.
func.func @softmax_long_rows(%x: tensor<6x10240xf32>) -> tensor<6x10240xf32> {
  %0 = wl.softmax %x axis = 1 : tensor<6x10240xf32>
  return %0 : tensor<6x10240xf32>
}
// Matrix-vector products: K split into 128 (K >= 1024) or 32 lanes of
// partial sums, combined in each CTA.
func.func @gemv_bias_relu(%x: tensor<1x2048xf32>, %w: tensor<2048x96xf32>, %b: tensor<96xf32>) -> tensor<1x96xf32> {
  %0 = wl.matmul %x, %w : (tensor<1x2048xf32>, tensor<2048x96xf32>) -> tensor<1x96xf32>
  %1 = wl.add %0, %b : (tensor<1x96xf32>, tensor<96xf32>) -> tensor<1x96xf32>
  %2 = wl.relu %1 : tensor<1x96xf32>
  return %2 : tensor<1x96xf32>
}
func.func @gemv_flattened(%x: tensor<1x32x4x4xf32>, %w: tensor<512x256xf32>) -> tensor<1x256xf32> {
  %0 = wl.reshape %x : tensor<1x32x4x4xf32> -> tensor<1x512xf32>
  %1 = wl.matmul %0, %w : (tensor<1x512xf32>, tensor<512x256xf32>) -> tensor<1x256xf32>
  return %1 : tensor<1x256xf32>
}
func.func @se_conv_silu(%x: tensor<1x1x1x1152xf32>, %w: tensor<1x1x1152x48xf32>, %b: tensor<48xf32>) -> tensor<1x1x1x48xf32> {
  %0 = wl.conv2d %x, %w : (tensor<1x1x1x1152xf32>, tensor<1x1x1152x48xf32>) -> tensor<1x1x1x48xf32>
  %1 = wl.add %0, %b : (tensor<1x1x1x48xf32>, tensor<48xf32>) -> tensor<1x1x1x48xf32>
  %2 = wl.sigmoid %1 : tensor<1x1x1x48xf32>
  %3 = wl.mul %2, %1 : (tensor<1x1x1x48xf32>, tensor<1x1x1x48xf32>) -> tensor<1x1x1x48xf32>
  return %3 : tensor<1x1x1x48xf32>
}
func.func @se_conv_short(%x: tensor<1x1x1x512xf32>, %w: tensor<1x1x512x128xf32>) -> tensor<1x1x1x128xf32> {
  %0 = wl.conv2d %x, %w : (tensor<1x1x1x512xf32>, tensor<1x1x512x128xf32>) -> tensor<1x1x1x128xf32>
  return %0 : tensor<1x1x1x128xf32>
}
func.func @gemv_transposed(%x: tensor<1x512xf32>, %w: tensor<200x512xf32>) -> tensor<1x200xf32> {
  %0 = wl.matmul %x, %w {transpose_rhs} : (tensor<1x512xf32>, tensor<200x512xf32>) -> tensor<1x200xf32>
  return %0 : tensor<1x200xf32>
}

// A decode step's attention over a static cache (attention_decode), as
// wl-raise-buffer-loops and the import make of its loops: 3 query rows per
// head at a position known when it runs (causal at that offset: row i sees
// keys j <= i + pos), the cache's heads read in place ([Sk, H, D] as
// [H, Sk, D]), 200 keys (a partial lane tile, two key blocks on Trainium),
// normalised after the product with V (the rows' sums' reciprocals).
func.func @attention_decode(%q: tensor<4x3x32xf32>, %kc: tensor<200x4x32xf32>, %vc: tensor<200x4x24xf32>, %pos: index) -> tensor<4x3x24xf32> {
  %k = wl.transpose %kc perm = [1, 0, 2] : tensor<200x4x32xf32> -> tensor<4x200x32xf32>
  %v = wl.transpose %vc perm = [1, 0, 2] : tensor<200x4x24xf32> -> tensor<4x200x24xf32>
  %0 = wl.attention %q, %k, %v offset %pos {causal, normalize_after, scale = 1.250000e-01 : f64} : (tensor<4x3x32xf32>, tensor<4x200x32xf32>, tensor<4x200x24xf32>, index) -> tensor<4x3x24xf32>
  return %0 : tensor<4x3x24xf32>
}

// Grouped-query decode: 4 query heads per key/value head, one row each at
// the run-time position.
func.func @attention_decode_gqa(%q: tensor<2x4x1x32xf32>, %k: tensor<2x1x200x32xf32>, %v: tensor<2x1x200x24xf32>, %pos: index) -> tensor<2x4x1x24xf32> {
  %0 = wl.attention %q, %k, %v offset %pos {causal, normalize_after} : (tensor<2x4x1x32xf32>, tensor<2x1x200x32xf32>, tensor<2x1x200x24xf32>, index) -> tensor<2x4x1x24xf32>
  return %0 : tensor<2x4x1x24xf32>
}
