// Kernels the emulation tests (tpu-emulate.mlir, trainium-emulate.mlir)
// lower for a target, run on deterministic inputs and compare with the
// reference lowering. Not a test by itself.

func.func @mm_f32(%a: tensor<200x300xf32>, %b: tensor<300x260xf32>) -> tensor<200x260xf32> {
  %c = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  return %c : tensor<200x260xf32>
}

func.func @bmm_f32(%a: tensor<3x40x200xf32>, %b: tensor<3x200x400xf32>) -> tensor<3x40x400xf32> {
  %c = wl.batch_matmul %a, %b : (tensor<3x40x200xf32>, tensor<3x200x400xf32>) -> tensor<3x40x400xf32>
  return %c : tensor<3x40x400xf32>
}

func.func @ew_f32(%a: tensor<4x10x300xf32>, %b: tensor<4x10x300xf32>) -> tensor<4x10x300xf32> {
  %c = wl.add %a, %b : (tensor<4x10x300xf32>, tensor<4x10x300xf32>) -> tensor<4x10x300xf32>
  %d = wl.exp %c : tensor<4x10x300xf32>
  %e = wl.mul %d, %a : (tensor<4x10x300xf32>, tensor<4x10x300xf32>) -> tensor<4x10x300xf32>
  return %e : tensor<4x10x300xf32>
}

func.func @bias_softmax(%a: tensor<20x100xf32>, %bias: tensor<100xf32>) -> tensor<20x100xf32> {
  %c = wl.add %a, %bias : (tensor<20x100xf32>, tensor<100xf32>) -> tensor<20x100xf32>
  %d = wl.softmax %c axis = 1 : tensor<20x100xf32>
  return %d : tensor<20x100xf32>
}

func.func @mm_i8(%a: tensor<30x300xi8>, %b: tensor<300x100xi8>) -> tensor<30x100xf32> {
  %c = wl.matmul %a, %b : (tensor<30x300xi8>, tensor<300x100xi8>) -> tensor<30x100xi32>
  %f = wl.cast %c : tensor<30x100xi32> -> tensor<30x100xf32>
  return %f : tensor<30x100xf32>
}

func.func @mm_bf16(%a: tensor<200x300xbf16>, %b: tensor<300x260xbf16>) -> tensor<200x260xbf16> {
  %c = wl.matmul %a, %b : (tensor<200x300xbf16>, tensor<300x260xbf16>) -> tensor<200x260xbf16>
  return %c : tensor<200x260xbf16>
}

func.func @mm_bf16_reference(%a: tensor<200x300xbf16>, %b: tensor<300x260xbf16>) -> tensor<200x260xbf16> {
  %a32 = wl.cast %a : tensor<200x300xbf16> -> tensor<200x300xf32>
  %b32 = wl.cast %b : tensor<300x260xbf16> -> tensor<300x260xf32>
  %c = wl.matmul %a32, %b32 : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  %c16 = wl.cast %c : tensor<200x260xf32> -> tensor<200x260xbf16>
  return %c16 : tensor<200x260xbf16>
}

// Row folds over more than 128 rows (300 = 128 + 128 + 44) and 2048
// columns (2500 = 2048 + a ragged 452): the max of -e^x, all below zero
// (a padded column folded in would show as 0), a mean, and the
// per-row subtraction of the max (a P x 1 column operand).
func.func @row_folds(%a: tensor<2x150x2500xf32>) -> (tensor<2x150xf32>, tensor<2x150xf32>, tensor<2x150x2500xf32>) {
  %e = wl.exp %a : tensor<2x150x2500xf32>
  %n = wl.neg %e : tensor<2x150x2500xf32>
  %m = wl.reduce max %n dims = [2] : tensor<2x150x2500xf32> -> tensor<2x150xf32>
  %s = wl.reduce mean %a dims = [2] : tensor<2x150x2500xf32> -> tensor<2x150xf32>
  %k = wl.reshape %m : tensor<2x150xf32> -> tensor<2x150x1xf32>
  %d = wl.sub %n, %k : (tensor<2x150x2500xf32>, tensor<2x150x1xf32>) -> tensor<2x150x2500xf32>
  return %m, %s, %d : tensor<2x150xf32>, tensor<2x150xf32>, tensor<2x150x2500xf32>
}

// A row fold and then an op over its one value per row (a softmax's sum
// and its reciprocal, which a decode step's attention written as loops
// applies after the product with V): one program, the reciprocal computed
// on the fold's tiles.
func.func @row_sum_reciprocal(%a: tensor<2x150x2500xf32>) -> tensor<2x150x1xf32> {
  %s = wl.reduce sum %a dims = [2] : tensor<2x150x2500xf32> -> tensor<2x150xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %r = wl.div %one, %s : (tensor<f32>, tensor<2x150xf32>) -> tensor<2x150xf32>
  %k = wl.reshape %r : tensor<2x150xf32> -> tensor<2x150x1xf32>
  return %k : tensor<2x150x1xf32>
}

// A bias row over 300 rows and 2500 columns: broadcast DMAs of a ragged
// last column tile (2500 = 2048 + 452) into partial row tiles.
func.func @bias_rows(%x: tensor<300x2500xf32>, %bias: tensor<2500xf32>) -> tensor<300x2500xf32> {
  %0 = wl.add %x, %bias : (tensor<300x2500xf32>, tensor<2500xf32>) -> tensor<300x2500xf32>
  %1 = wl.mul %0, %bias : (tensor<300x2500xf32>, tensor<2500xf32>) -> tensor<300x2500xf32>
  return %1 : tensor<300x2500xf32>
}

// A matmul with an epilogue: a bias per column, a scale per row, GELU and
// a residual, each an elementwise op on the product (the TPU applies them
// to the product's tiles in VMEM). Ragged in every dimension.
func.func @mm_epilogue(%a: tensor<200x300xf32>, %b: tensor<300x260xf32>, %bias: tensor<260xf32>, %scale: tensor<200x1xf32>, %res: tensor<200x260xf32>) -> tensor<200x260xf32> {
  %0 = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x260xf32>) -> tensor<200x260xf32>
  %1 = wl.add %0, %bias : (tensor<200x260xf32>, tensor<260xf32>) -> tensor<200x260xf32>
  %2 = wl.mul %1, %scale : (tensor<200x260xf32>, tensor<200x1xf32>) -> tensor<200x260xf32>
  %3 = wl.gelu %2 {approximate} : tensor<200x260xf32>
  %4 = wl.add %3, %res : (tensor<200x260xf32>, tensor<200x260xf32>) -> tensor<200x260xf32>
  return %4 : tensor<200x260xf32>
}

// A layer norm and an RMS norm over 300 rows (128 + 128 + 44) of 768: on
// Trainium each is one program of folds and elementwise steps on whole
// rows in SBUF, the gains and the bias broadcast into every partition.
func.func @norms(%x: tensor<300x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>) -> (tensor<300x768xf32>, tensor<300x768xf32>) {
  %0 = wl.layer_norm %x, %g, %b : (tensor<300x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<300x768xf32>
  %1 = wl.rms_norm %x, %g : (tensor<300x768xf32>, tensor<768xf32>) -> tensor<300x768xf32>
  return %0, %1 : tensor<300x768xf32>, tensor<300x768xf32>
}

// Rows too wide for SBUF whole (60000 f32 columns): the fold is a program
// of its own over 2048-column tiles and a ragged 608.
func.func @wide_sum(%x: tensor<3x60000xf32>) -> tensor<3xf32> {
  %0 = wl.reduce sum %x dims = [1] : tensor<3x60000xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// Convolutions as implicit GEMMs (#17 item 1): each filter tap is a K step
// over the input channels whose A tile is a window of the input read in
// place; the zero padding is read as zeros outside the input, without the
// padded copy. A stride of 2 with symmetric padding, a ragged K (5
// channels), a bias and ReLU applied to the product's tiles on chip.
func.func @conv_pad_s2(%x: tensor<2x17x15x5xf32>, %w: tensor<3x3x5x7xf32>, %bias: tensor<7xf32>) -> tensor<2x9x8x7xf32> {
  %y = wl.conv2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<2x17x15x5xf32>, tensor<3x3x5x7xf32>) -> tensor<2x9x8x7xf32>
  %b = wl.reshape %bias : tensor<7xf32> -> tensor<1x1x1x7xf32>
  %z = wl.add %y, %b : (tensor<2x9x8x7xf32>, tensor<1x1x1x7xf32>) -> tensor<2x9x8x7xf32>
  %r = wl.relu %z : tensor<2x9x8x7xf32>
  return %r : tensor<2x9x8x7xf32>
}

// A dilated 3x3 (dilation 2, padding 2) over 130 channels into 140 filters
// (two K blocks and two column tiles on small tiles), with a residual.
func.func @conv_dilated(%x: tensor<1x12x20x130xf32>, %w: tensor<3x3x130x140xf32>, %res: tensor<1x12x20x140xf32>) -> tensor<1x12x20x140xf32> {
  %y = wl.conv2d %x, %w {dilations = array<i64: 2, 2>, padding = array<i64: 2, 2, 2, 2>} : (tensor<1x12x20x130xf32>, tensor<3x3x130x140xf32>) -> tensor<1x12x20x140xf32>
  %z = wl.add %y, %res : (tensor<1x12x20x140xf32>, tensor<1x12x20x140xf32>) -> tensor<1x12x20x140xf32>
  return %z : tensor<1x12x20x140xf32>
}

// A 1x1 stride-2 projection (no padding), TF-style asymmetric padding
// (bottom and right only) with stride 2, and output rows wider than one
// row tile (150 columns).
func.func @conv_shapes(%x: tensor<2x14x14x40xf32>, %w: tensor<1x1x40x24xf32>, %x2: tensor<1x9x9x6xf32>, %w2: tensor<3x3x6x8xf32>, %x3: tensor<1x3x150x4xf32>, %w3: tensor<3x3x4x5xf32>) -> (tensor<2x7x7x24xf32>, tensor<1x4x4x8xf32>, tensor<1x3x150x5xf32>) {
  %0 = wl.conv2d %x, %w {strides = array<i64: 2, 2>} : (tensor<2x14x14x40xf32>, tensor<1x1x40x24xf32>) -> tensor<2x7x7x24xf32>
  %1 = wl.conv2d %x2, %w2 {strides = array<i64: 2, 2>, padding = array<i64: 0, 1, 0, 1>} : (tensor<1x9x9x6xf32>, tensor<3x3x6x8xf32>) -> tensor<1x4x4x8xf32>
  %2 = wl.conv2d %x3, %w3 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x150x4xf32>, tensor<3x3x4x5xf32>) -> tensor<1x3x150x5xf32>
  return %0, %1, %2 : tensor<2x7x7x24xf32>, tensor<1x4x4x8xf32>, tensor<1x3x150x5xf32>
}

// Depthwise convolutions and pooling, a fold over the filter taps per
// output pixel and channel on the vector unit (#17 item 1): a depthwise
// 3x3 with stride 2 and padding over 130 channels (two lane tiles on the
// TPU's small spec), with a clamped (ReLU6) epilogue; an average pool
// with padding (a sum and a division); a global average (a 7x7 window);
// max pools with and without padding (the DMA reads -inf outside the
// input, as the padded copy held).
func.func @depthwise_pools(%x: tensor<1x15x13x130xf32>, %w: tensor<3x3x1x130xf32>, %y: tensor<2x14x14x24xf32>) -> (tensor<1x8x7x130xf32>, tensor<2x7x7x24xf32>, tensor<2x1x1x24xf32>, tensor<2x7x7x24xf32>, tensor<2x7x7x24xf32>) {
  %0 = wl.conv2d %x, %w {groups = 130 : i64, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x15x13x130xf32>, tensor<3x3x1x130xf32>) -> tensor<1x8x7x130xf32>
  %zero = arith.constant dense<0.0> : tensor<f32>
  %six = arith.constant dense<6.0> : tensor<f32>
  %1 = wl.max %0, %zero : (tensor<1x8x7x130xf32>, tensor<f32>) -> tensor<1x8x7x130xf32>
  %2 = wl.min %1, %six : (tensor<1x8x7x130xf32>, tensor<f32>) -> tensor<1x8x7x130xf32>
  %3 = wl.pool2d avg %y {window = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<2x14x14x24xf32> -> tensor<2x7x7x24xf32>
  %4 = wl.pool2d avg %3 {window = array<i64: 7, 7>} : tensor<2x7x7x24xf32> -> tensor<2x1x1x24xf32>
  %5 = wl.pool2d max %y {window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<2x14x14x24xf32> -> tensor<2x7x7x24xf32>
  %6 = wl.pool2d max %y {window = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : tensor<2x14x14x24xf32> -> tensor<2x7x7x24xf32>
  return %2, %3, %4, %5, %6 : tensor<1x8x7x130xf32>, tensor<2x7x7x24xf32>, tensor<2x1x1x24xf32>, tensor<2x7x7x24xf32>, tensor<2x7x7x24xf32>
}

// Layout copies done by the program's DMAs (#17 item 1): a product split
// into heads (reshape + transpose: each 128-wide tile is stored as two
// runs of one 64-wide head each), ragged in M; a batched product whose
// heads are merged back (each batch a strided column block of the
// result); a fused QKV projection with a bias, sliced into three outputs
// of two 48-wide heads each (tiles straddle the slices); a matmul whose B
// a transpose wrote (read through the transposed view); a convolution and
// a max pool stored channels-first (NCHW).
func.func @layout_copies(%a: tensor<200x300xf32>, %b: tensor<300x256xf32>, %p: tensor<3x40x200xf32>, %v: tensor<3x200x96xf32>, %x: tensor<50x64xf32>, %wqkv: tensor<64x288xf32>, %bqkv: tensor<288xf32>, %wt: tensor<150x300xf32>, %img: tensor<1x9x9x6xf32>, %f: tensor<3x3x6x130xf32>, %y: tensor<1x8x8x130xf32>) -> (tensor<4x200x64xf32>, tensor<40x288xf32>, tensor<2x50x48xf32>, tensor<2x50x48xf32>, tensor<2x50x48xf32>, tensor<200x150xf32>, tensor<1x130x9x9xf32>, tensor<1x130x4x4xf32>) {
  %0 = wl.matmul %a, %b : (tensor<200x300xf32>, tensor<300x256xf32>) -> tensor<200x256xf32>
  %1 = wl.reshape %0 : tensor<200x256xf32> -> tensor<200x4x64xf32>
  %heads = wl.transpose %1 perm = [1, 0, 2] : tensor<200x4x64xf32> -> tensor<4x200x64xf32>
  %2 = wl.batch_matmul %p, %v : (tensor<3x40x200xf32>, tensor<3x200x96xf32>) -> tensor<3x40x96xf32>
  %3 = wl.transpose %2 perm = [1, 0, 2] : tensor<3x40x96xf32> -> tensor<40x3x96xf32>
  %merged = wl.reshape %3 : tensor<40x3x96xf32> -> tensor<40x288xf32>
  %4 = wl.matmul %x, %wqkv : (tensor<50x64xf32>, tensor<64x288xf32>) -> tensor<50x288xf32>
  %5 = wl.add %4, %bqkv : (tensor<50x288xf32>, tensor<288xf32>) -> tensor<50x288xf32>
  %q0 = wl.slice %5 offsets = [0, 0] : tensor<50x288xf32> -> tensor<50x96xf32>
  %k0 = wl.slice %5 offsets = [0, 96] : tensor<50x288xf32> -> tensor<50x96xf32>
  %v0 = wl.slice %5 offsets = [0, 192] : tensor<50x288xf32> -> tensor<50x96xf32>
  %q1 = wl.reshape %q0 : tensor<50x96xf32> -> tensor<50x2x48xf32>
  %k1 = wl.reshape %k0 : tensor<50x96xf32> -> tensor<50x2x48xf32>
  %v1 = wl.reshape %v0 : tensor<50x96xf32> -> tensor<50x2x48xf32>
  %q = wl.transpose %q1 perm = [1, 0, 2] : tensor<50x2x48xf32> -> tensor<2x50x48xf32>
  %k = wl.transpose %k1 perm = [1, 0, 2] : tensor<50x2x48xf32> -> tensor<2x50x48xf32>
  %vv = wl.transpose %v1 perm = [1, 0, 2] : tensor<50x2x48xf32> -> tensor<2x50x48xf32>
  %bt = wl.matmul %a, %wt {transpose_rhs} : (tensor<200x300xf32>, tensor<150x300xf32>) -> tensor<200x150xf32>
  %6 = wl.conv2d %img, %f {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x9x9x6xf32>, tensor<3x3x6x130xf32>) -> tensor<1x9x9x130xf32>
  %nchw = wl.transpose %6 perm = [0, 3, 1, 2] : tensor<1x9x9x130xf32> -> tensor<1x130x9x9xf32>
  %7 = wl.pool2d max %y {window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x130xf32> -> tensor<1x4x4x130xf32>
  %pooled = wl.transpose %7 perm = [0, 3, 1, 2] : tensor<1x4x4x130xf32> -> tensor<1x130x4x4xf32>
  return %heads, %merged, %q, %k, %vv, %bt, %nchw, %pooled : tensor<4x200x64xf32>, tensor<40x288xf32>, tensor<2x50x48xf32>, tensor<2x50x48xf32>, tensor<2x50x48xf32>, tensor<200x150xf32>, tensor<1x130x9x9xf32>, tensor<1x130x4x4xf32>
}

// Epilogue branches (#17 item 1): two chains read one product, each its
// own result (a RoPE table's cos and sin of the same angles): the cos
// transposed and repeated over a new dimension of 2 (stored twice per
// tile, through the transposed views), the sin after a bias.
func.func @epilogue_branches(%a: tensor<40x300xf32>, %b: tensor<300x130xf32>, %bias: tensor<130xf32>) -> (tensor<130x2x40xf32>, tensor<40x130xf32>) {
  %p = wl.matmul %a, %b : (tensor<40x300xf32>, tensor<300x130xf32>) -> tensor<40x130xf32>
  %c = wl.cos %p : tensor<40x130xf32>
  %r = wl.reshape %c : tensor<40x130xf32> -> tensor<40x130x1xf32>
  %t = wl.transpose %r perm = [1, 2, 0] : tensor<40x130x1xf32> -> tensor<130x1x40xf32>
  %twice = wl.broadcast %t : tensor<130x1x40xf32> -> tensor<130x2x40xf32>
  %biased = wl.add %p, %bias : (tensor<40x130xf32>, tensor<130xf32>) -> tensor<40x130xf32>
  %s = wl.sin %biased : tensor<40x130xf32>
  return %twice, %s : tensor<130x2x40xf32>, tensor<40x130xf32>
}

// Epilogues over a reshape of the product (#17 item 1): a residual added
// in 3-D (1 x 40 x 260) to a 40 x 260 product; a batched product scaled,
// given a unit dimension and masked by a 40 x 50 mask broadcast over the
// batch (attention scores); a one-row product (a classifier's) biased and
// activated as a 1-D vector. Each op reads the product's tile where it
// lies in the reshape; the other operands come through strided views.
func.func @epilogue_reshapes(%a: tensor<40x300xf32>, %b: tensor<300x260xf32>, %res: tensor<1x40x260xf32>, %p: tensor<3x40x200xf32>, %k: tensor<3x200x50xf32>, %mask: tensor<40x50xf32>, %x: tensor<1x300xf32>, %bias: tensor<260xf32>) -> (tensor<1x40x260xf32>, tensor<3x1x40x50xf32>, tensor<1x260xf32>) {
  %0 = wl.matmul %a, %b : (tensor<40x300xf32>, tensor<300x260xf32>) -> tensor<40x260xf32>
  %1 = wl.reshape %0 : tensor<40x260xf32> -> tensor<1x40x260xf32>
  %2 = wl.add %res, %1 : (tensor<1x40x260xf32>, tensor<1x40x260xf32>) -> tensor<1x40x260xf32>
  %3 = wl.batch_matmul %p, %k : (tensor<3x40x200xf32>, tensor<3x200x50xf32>) -> tensor<3x40x50xf32>
  %scale = arith.constant dense<0.125> : tensor<f32>
  %4 = wl.mul %3, %scale : (tensor<3x40x50xf32>, tensor<f32>) -> tensor<3x40x50xf32>
  %5 = wl.reshape %4 : tensor<3x40x50xf32> -> tensor<3x1x40x50xf32>
  %6 = wl.add %5, %mask : (tensor<3x1x40x50xf32>, tensor<40x50xf32>) -> tensor<3x1x40x50xf32>
  %7 = wl.matmul %x, %b : (tensor<1x300xf32>, tensor<300x260xf32>) -> tensor<1x260xf32>
  %8 = wl.reshape %7 : tensor<1x260xf32> -> tensor<260xf32>
  %9 = wl.add %8, %bias : (tensor<260xf32>, tensor<260xf32>) -> tensor<260xf32>
  %10 = wl.relu %9 : tensor<260xf32>
  %11 = wl.reshape %10 : tensor<260xf32> -> tensor<1x260xf32>
  return %2, %6, %11 : tensor<1x40x260xf32>, tensor<3x1x40x50xf32>, tensor<1x260xf32>
}

// Squeeze-excitation excitations (#17 item 1): a 1x1 convolution of the
// squeezed 1x1x40 vector into 150 gates, a bias and a sigmoid (or a hard
// clamp between two scalar arguments), times a 20x15 feature map: the gate
// row is broadcast over the map's 300 rows (a ragged second tile of 44 on
// the TPU) and 150 channels (two column tiles on small VMEM).
func.func @se_excitation(%s: tensor<1x1x1x40xf32>, %w: tensor<1x1x40x150xf32>, %bias: tensor<150xf32>, %x: tensor<1x20x15x150xf32>, %lo: tensor<f32>, %hi: tensor<f32>) -> (tensor<1x20x15x150xf32>, tensor<1x20x15x150xf32>) {
  %g = wl.conv2d %s, %w : (tensor<1x1x1x40xf32>, tensor<1x1x40x150xf32>) -> tensor<1x1x1x150xf32>
  %b = wl.reshape %bias : tensor<150xf32> -> tensor<1x1x1x150xf32>
  %z = wl.add %g, %b : (tensor<1x1x1x150xf32>, tensor<1x1x1x150xf32>) -> tensor<1x1x1x150xf32>
  %sig = wl.sigmoid %z : tensor<1x1x1x150xf32>
  %y = wl.mul %sig, %x : (tensor<1x1x1x150xf32>, tensor<1x20x15x150xf32>) -> tensor<1x20x15x150xf32>
  %g2 = wl.conv2d %s, %w : (tensor<1x1x1x40xf32>, tensor<1x1x40x150xf32>) -> tensor<1x1x1x150xf32>
  %c0 = wl.max %g2, %lo : (tensor<1x1x1x150xf32>, tensor<f32>) -> tensor<1x1x1x150xf32>
  %c1 = wl.min %c0, %hi : (tensor<1x1x1x150xf32>, tensor<f32>) -> tensor<1x1x1x150xf32>
  %y2 = wl.mul %x, %c1 : (tensor<1x20x15x150xf32>, tensor<1x1x1x150xf32>) -> tensor<1x20x15x150xf32>
  return %y, %y2 : tensor<1x20x15x150xf32>, tensor<1x20x15x150xf32>
}

// Attention as one program per tile of query rows (#17 item 1): the
// scores Q K^T, their scaling and causal mask, the softmax and the product
// with V all on chip. GPT-2's form (causal, heads merged after it: the
// output stored transposed), a 4-D one whose keys are not a whole number
// of lane groups (their padding must not reach the product with V), and a
// causal cross-attention with fewer queries than keys (the mask's offset).
func.func @attention(%q: tensor<2x256x64xf32>, %k: tensor<2x256x64xf32>, %v: tensor<2x256x64xf32>, %q4: tensor<1x2x40x32xf32>, %k4: tensor<1x2x200x32xf32>, %v4: tensor<1x2x200x48xf32>) -> (tensor<256x128xf32>, tensor<1x2x40x48xf32>, tensor<1x2x40x48xf32>) {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<2x256x64xf32>, tensor<2x256x64xf32>, tensor<2x256x64xf32>) -> tensor<2x256x64xf32>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<2x256x64xf32> -> tensor<256x2x64xf32>
  %2 = wl.reshape %1 : tensor<256x2x64xf32> -> tensor<256x128xf32>
  %3 = wl.attention %q4, %k4, %v4 : (tensor<1x2x40x32xf32>, tensor<1x2x200x32xf32>, tensor<1x2x200x48xf32>) -> tensor<1x2x40x48xf32>
  %4 = wl.attention %q4, %k4, %v4 {causal} : (tensor<1x2x40x32xf32>, tensor<1x2x200x32xf32>, tensor<1x2x200x48xf32>) -> tensor<1x2x40x48xf32>
  return %2, %3, %4 : tensor<256x128xf32>, tensor<1x2x40x48xf32>, tensor<1x2x40x48xf32>
}

// Attention with an additive mask, read as a tile beside each tile of
// scores: one per query row and key over two heads (GPT-2's form, heads
// merged by the store); one over the keys only, broadcast over heads and
// rows, with the causal mask; one per head, query row and key.
func.func @attention_mask(%q: tensor<2x256x64xf32>, %k: tensor<2x256x64xf32>, %v: tensor<2x256x64xf32>, %m: tensor<256x256xf32>, %q4: tensor<1x2x40x32xf32>, %k4: tensor<1x2x200x32xf32>, %v4: tensor<1x2x200x48xf32>, %keys: tensor<1x200xf32>, %heads: tensor<1x2x40x200xf32>) -> (tensor<256x128xf32>, tensor<1x2x40x48xf32>, tensor<1x2x40x48xf32>) {
  %0 = wl.attention %q, %k, %v mask %m {scale = 1.250000e-01 : f64} : (tensor<2x256x64xf32>, tensor<2x256x64xf32>, tensor<2x256x64xf32>, tensor<256x256xf32>) -> tensor<2x256x64xf32>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<2x256x64xf32> -> tensor<256x2x64xf32>
  %2 = wl.reshape %1 : tensor<256x2x64xf32> -> tensor<256x128xf32>
  %3 = wl.attention %q4, %k4, %v4 mask %keys {causal} : (tensor<1x2x40x32xf32>, tensor<1x2x200x32xf32>, tensor<1x2x200x48xf32>, tensor<1x200xf32>) -> tensor<1x2x40x48xf32>
  %4 = wl.attention %q4, %k4, %v4 mask %heads : (tensor<1x2x40x32xf32>, tensor<1x2x200x32xf32>, tensor<1x2x200x48xf32>, tensor<1x2x40x200xf32>) -> tensor<1x2x40x48xf32>
  return %2, %3, %4 : tensor<256x128xf32>, tensor<1x2x40x48xf32>, tensor<1x2x40x48xf32>
}

// Grouped-query attention: 2 key/value heads, each shared by 2 query heads
// (folded into the product's rows, 2 x 128), with a 128 x 200 mask the
// query heads share (read at the row modulo 128), and causal (the row
// index one query head's).
func.func @attention_gqa(%q: tensor<2x2x128x32xf32>, %k: tensor<2x1x200x32xf32>, %v: tensor<2x1x200x48xf32>, %m: tensor<128x200xf32>) -> (tensor<2x2x128x48xf32>, tensor<2x2x128x48xf32>) {
  %0 = wl.attention %q, %k, %v mask %m {scale = 1.250000e-01 : f64} : (tensor<2x2x128x32xf32>, tensor<2x1x200x32xf32>, tensor<2x1x200x48xf32>, tensor<128x200xf32>) -> tensor<2x2x128x48xf32>
  %1 = wl.attention %q, %k, %v {causal} : (tensor<2x2x128x32xf32>, tensor<2x1x200x32xf32>, tensor<2x1x200x48xf32>) -> tensor<2x2x128x48xf32>
  return %0, %1 : tensor<2x2x128x48xf32>, tensor<2x2x128x48xf32>
}

// Grouped-query scores as Llama writes them (#17 item 1): two query heads
// per key head folded into the rows (2 x 128 = 256), scaled, then a 128 x
// 48 mask added over the heads: along the rows the mask repeats every 128
// rows, so a tile of rows within one run reads it at its row modulo 128.
func.func @gqa_mask(%q: tensor<2x256x32xf32>, %k: tensor<2x48x32xf32>, %mask: tensor<128x48xf32>) -> tensor<2x2x128x48xf32> {
  %0 = wl.batch_matmul %q, %k {transpose_rhs} : (tensor<2x256x32xf32>, tensor<2x48x32xf32>) -> tensor<2x256x48xf32>
  %scale = arith.constant dense<0.125> : tensor<f32>
  %1 = wl.mul %0, %scale : (tensor<2x256x48xf32>, tensor<f32>) -> tensor<2x256x48xf32>
  %2 = wl.reshape %1 : tensor<2x256x48xf32> -> tensor<2x2x128x48xf32>
  %3 = wl.add %2, %mask : (tensor<2x2x128x48xf32>, tensor<128x48xf32>) -> tensor<2x2x128x48xf32>
  return %3 : tensor<2x2x128x48xf32>
}

// A residual read channels-first after a channels-last convolution's
// epilogue (the MobileNet block's): the add runs in the convolution's
// order, the residual read through a transposed view, and the transpose
// is the program's store. And an elementwise op over a transpose alone.
func.func @residual_nchw(%x: tensor<1x10x12x20xf32>, %f: tensor<1x1x20x140xf32>, %s: tensor<140xf32>, %b: tensor<140xf32>, %r: tensor<1x140x10x12xf32>, %y: tensor<30x50xf32>, %z: tensor<50x30xf32>) -> (tensor<1x140x10x12xf32>, tensor<50x30xf32>) {
  %0 = wl.conv2d %x, %f : (tensor<1x10x12x20xf32>, tensor<1x1x20x140xf32>) -> tensor<1x10x12x140xf32>
  %1 = wl.mul %0, %s : (tensor<1x10x12x140xf32>, tensor<140xf32>) -> tensor<1x10x12x140xf32>
  %2 = wl.add %1, %b : (tensor<1x10x12x140xf32>, tensor<140xf32>) -> tensor<1x10x12x140xf32>
  %3 = wl.transpose %2 perm = [0, 3, 1, 2] : tensor<1x10x12x140xf32> -> tensor<1x140x10x12xf32>
  %4 = wl.add %r, %3 : (tensor<1x140x10x12xf32>, tensor<1x140x10x12xf32>) -> tensor<1x140x10x12xf32>
  %5 = wl.transpose %y perm = [1, 0] : tensor<30x50xf32> -> tensor<50x30xf32>
  %6 = wl.sub %5, %z : (tensor<50x30xf32>, tensor<50x30xf32>) -> tensor<50x30xf32>
  return %4, %6 : tensor<1x140x10x12xf32>, tensor<50x30xf32>
}

// Grouped-query attention whose shared mask repeats every 40 rows of the
// 80 folded ones: the row tiles divide 40 (TPU: 40, a multiple of 8;
// Trainium: 40 partitions), so that each reads the mask within one run.
func.func @gqa_short_heads(%q: tensor<2x2x40x16xf32>, %k: tensor<2x1x48x16xf32>, %v: tensor<2x1x48x16xf32>, %m: tensor<40x48xf32>) -> tensor<2x2x40x16xf32> {
  %0 = wl.attention %q, %k, %v mask %m {causal} : (tensor<2x2x40x16xf32>, tensor<2x1x48x16xf32>, tensor<2x1x48x16xf32>, tensor<40x48xf32>) -> tensor<2x2x40x16xf32>
  return %0 : tensor<2x2x40x16xf32>
}

// Padding masks over the heads (BERT's [B, 1, 1, Sk], and [B, 1, Sq, Sk]):
// the heads fold into the products' batch, where the mask's tile is read
// at the batch index divided by the heads.
func.func @attention_padding(%q: tensor<2x3x40x16xf32>, %k: tensor<2x3x48x16xf32>, %v: tensor<2x3x48x16xf32>, %keys: tensor<2x1x1x48xf32>, %rows: tensor<2x1x40x48xf32>) -> (tensor<2x3x40x16xf32>, tensor<2x3x40x16xf32>) {
  %0 = wl.attention %q, %k, %v mask %keys {scale = 2.500000e-01 : f64} : (tensor<2x3x40x16xf32>, tensor<2x3x48x16xf32>, tensor<2x3x48x16xf32>, tensor<2x1x1x48xf32>) -> tensor<2x3x40x16xf32>
  %1 = wl.attention %q, %k, %v mask %rows {causal} : (tensor<2x3x40x16xf32>, tensor<2x3x48x16xf32>, tensor<2x3x48x16xf32>, tensor<2x1x40x48xf32>) -> tensor<2x3x40x16xf32>
  return %0, %1 : tensor<2x3x40x16xf32>, tensor<2x3x40x16xf32>
}

// bf16 attention (wl.attention's precision): bf16 products accumulating in
// f32, the mask and softmax in f32, the probabilities rounded to bf16 for
// the product with V and the result rounded once. GPT-2's causal form
// (heads merged by the store), and 4-D heads whose 200 keys leave padding
// lanes, with a bf16 mask over the keys.
func.func @attention_bf16(%q: tensor<2x256x64xbf16>, %k: tensor<2x256x64xbf16>, %v: tensor<2x256x64xbf16>, %q4: tensor<1x2x40x32xbf16>, %k4: tensor<1x2x200x32xbf16>, %v4: tensor<1x2x200x48xbf16>, %keys: tensor<1x200xbf16>) -> (tensor<256x128xbf16>, tensor<1x2x40x48xbf16>) {
  %0 = wl.attention %q, %k, %v {causal} : (tensor<2x256x64xbf16>, tensor<2x256x64xbf16>, tensor<2x256x64xbf16>) -> tensor<2x256x64xbf16>
  %1 = wl.transpose %0 perm = [1, 0, 2] : tensor<2x256x64xbf16> -> tensor<256x2x64xbf16>
  %2 = wl.reshape %1 : tensor<256x2x64xbf16> -> tensor<256x128xbf16>
  %3 = wl.attention %q4, %k4, %v4 mask %keys : (tensor<1x2x40x32xbf16>, tensor<1x2x200x32xbf16>, tensor<1x2x200x48xbf16>, tensor<1x200xbf16>) -> tensor<1x2x40x48xbf16>
  return %2, %3 : tensor<256x128xbf16>, tensor<1x2x40x48xbf16>
}

// An i64 padding mask brought into f32 by wl.cast and turned into an
// additive one, (1 - m) * -1e4 (the TOSA transformer subgraph's): the
// program reads i64 tiles.
func.func @mask_i64(%m: tensor<2x40xi64>) -> tensor<2x1x1x40xf32> {
  %f = wl.cast %m : tensor<2x40xi64> -> tensor<2x40xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %d = wl.sub %one, %f : (tensor<f32>, tensor<2x40xf32>) -> tensor<2x40xf32>
  %big = arith.constant dense<-1.0e4> : tensor<f32>
  %y = wl.mul %d, %big : (tensor<2x40xf32>, tensor<f32>) -> tensor<2x40xf32>
  %r = wl.reshape %y : tensor<2x40xf32> -> tensor<2x1x1x40xf32>
  return %r : tensor<2x1x1x40xf32>
}

// Attention with K given transposed ([B, D, Sk]; the import's form): the
// lowering reads K^T as given, no copy: 200 keys (padding lanes) and a
// mask over the keys.
func.func @attention_kt(%q: tensor<2x40x32xf32>, %kt: tensor<2x32x200xf32>, %v: tensor<2x200x48xf32>, %keys: tensor<1x200xf32>) -> tensor<2x40x48xf32> {
  %k = wl.transpose %kt perm = [0, 2, 1] : tensor<2x32x200xf32> -> tensor<2x200x32xf32>
  %0 = wl.attention %q, %k, %v mask %keys {causal} : (tensor<2x40x32xf32>, tensor<2x200x32xf32>, tensor<2x200x48xf32>, tensor<1x200xf32>) -> tensor<2x40x48xf32>
  return %0 : tensor<2x40x48xf32>
}

// A batch matmul over heads whose operands a transpose gives ([B, S, H, D]
// read as [B*H, S, D], BERT's softmax x V): B and H are not adjacent in
// memory, so the view cannot collapse them; the program reads it
// uncollapsed, the batch index split into B's and H's (TransposedOperand).
// P transposed too, and the result's heads merged back.
func.func @bmm_heads(%p: tensor<2x40x3x24xf32>, %v: tensor<2x24x3x20xf32>) -> tensor<2x40x3x20xf32> {
  %pt = wl.transpose %p perm = [0, 2, 1, 3] : tensor<2x40x3x24xf32> -> tensor<2x3x40x24xf32>
  %pr = wl.reshape %pt : tensor<2x3x40x24xf32> -> tensor<6x40x24xf32>
  %vt = wl.transpose %v perm = [0, 2, 1, 3] : tensor<2x24x3x20xf32> -> tensor<2x3x24x20xf32>
  %vr = wl.reshape %vt : tensor<2x3x24x20xf32> -> tensor<6x24x20xf32>
  %o = wl.batch_matmul %pr, %vr : (tensor<6x40x24xf32>, tensor<6x24x20xf32>) -> tensor<6x40x20xf32>
  %or = wl.reshape %o : tensor<6x40x20xf32> -> tensor<2x3x40x20xf32>
  %ot = wl.transpose %or perm = [0, 2, 1, 3] : tensor<2x3x40x20xf32> -> tensor<2x40x3x20xf32>
  return %ot : tensor<2x40x3x20xf32>
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

// Grouped-query decode (attention_decode_gqa): 4 query heads share each of
// 2 key/value heads, one query row each at the run-time position; the
// group's heads fold into the products' rows, and each reads the causal
// mask at its own row 0 (the mask's row is the product's row modulo 1).
func.func @attention_decode_gqa(%q: tensor<2x4x1x32xf32>, %k: tensor<2x1x200x32xf32>, %v: tensor<2x1x200x24xf32>, %pos: index) -> tensor<2x4x1x24xf32> {
  %0 = wl.attention %q, %k, %v offset %pos {causal, normalize_after} : (tensor<2x4x1x32xf32>, tensor<2x1x200x32xf32>, tensor<2x1x200x24xf32>, index) -> tensor<2x4x1x24xf32>
  return %0 : tensor<2x4x1x24xf32>
}
