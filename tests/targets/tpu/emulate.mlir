// Numeric tests of the TPU family's host emulator: each function of
// Inputs/kernels.mlir is lowered to mxu programs (`wl-lower{target=...
// emulate}`: mxu -> loops on memref views -> LLVM), run on deterministic
// inputs, and compared with the
// reference lowering (%lower-to-llvm: wl -> linalg -> loops) of the same
// function. A 1 MB-VMEM spec makes the tiles small (128x128 for f32) so
// that every program has several tiles, ragged edges and K steps.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: for f in mm_f32 bmm_f32 epilogue_branches ew_f32 bias_softmax mm_i8 mm_epilogue conv_pad_s2 conv_dilated conv_shapes depthwise_pools layout_copies epilogue_reshapes se_excitation norms row_folds attention attention_mask attention_gqa gqa_mask residual_nchw gqa_short_heads attention_padding attention_bf16 mask_i64 attention_kt bmm_heads row_sum_reciprocal attention_decode attention_decode_gqa; do \
// RUN:   %python %S/../../lib/make_harness.py %S/../Inputs/kernels.mlir $f > %t/$f.mlir && \
// RUN:   fungible-opt %t/$f.mlir --wl-lower="target=tpu-small target-specs=%S/Inputs/tpu-small-vmem.json emulate" | %run-harness > %t/$f.tpu && \
// RUN:   fungible-opt %t/$f.mlir %lower-to-llvm | %run-harness > %t/$f.ref && \
// RUN:   %python %S/../../lib/compare_outputs.py %t/$f.ref %t/$f.tpu --rtol 0 --atol 0 >> %t/report.txt || exit 1; done
// RUN: FileCheck %s --check-prefix=SAME < %t/report.txt
//
// f32 products accumulate in f32 in the same K order in both: equal to the
// last bit. Elementwise, broadcast and reductions likewise, and so is a
// matmul's epilogue applied to its tiles in VMEM (mm_epilogue: a bias per
// column and a scale per row through stride-0 DMAs, GELU, a residual).
// SAME: compared 52000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 48000 values, max abs error 0, 0 mismatches
// Two epilogue branches on one product (epilogue_branches: a cos stored
// transposed and twice per tile, a biased sin), equal to the bit.
// SAME-NEXT: compared 15600 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 12000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 2000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 3000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 52000 values, max abs error 0, 0 mismatches
// Convolutions as implicit GEMMs, one K step per filter tap and channel
// block, the A tile a window of the input DMA'd in place (strided for a
// stride of 2), the padding read as zeros outside the input: the taps and
// channels are summed in the reference's order, equal to the bit.
// SAME-NEXT: compared 1008 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 33600 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 4730 values, max abs error 0, 0 mismatches
// Depthwise convolutions (one fused multiply-add per tap, the weights
// through a stride-0 view) and poolings, a fold over the taps in order on
// the vector unit, their epilogues (a clamp, an average's division) on the
// tile: equal to the bit.
// SAME-NEXT: compared 14384 values, max abs error 0, 0 mismatches
// Layout copies done by the program's DMAs: a product stored straight into
// its heads, merged heads (a strided column block per batch), a fused QKV
// projection sliced into three outputs of two heads each, B read through
// the transposed view of the weight, and a convolution and a max pool
// stored channels-first: the same values stored elsewhere, equal to the
// bit.
// SAME-NEXT: compared 119730 values, max abs error 0, 0 mismatches
// Epilogues over a reshape of the product (a 3-D residual, a mask broadcast
// over a batch with a unit dimension, a 1-D bias and ReLU of a one-row
// product): equal to the bit.
// SAME-NEXT: compared 16660 values, max abs error 0, 0 mismatches
// Squeeze-excitation excitations: the gate (a 1x1 convolution, a bias and
// a sigmoid or a clamp between scalar arguments) broadcast over a feature
// map's rows by the VPU in the same program (a broadcast stage): equal to
// the bit.
// SAME-NEXT: compared 90000 values, max abs error 0, 0 mismatches
// Norms and row folds, one program per chain of row ops (RowPrograms.cpp):
// mxu.reduce folds each row's lanes in order into lane 0, the VPU reads it
// at lane 0 for every lane, the gains and bias at row 0 for every row:
// equal to the bit.
// SAME-NEXT: compared 460800 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 750600 values, max abs error 0, 0 mismatches
// Attention, one program per tile of query rows (AttentionPrograms.cpp):
// the scores, the causal mask (mxu.iota offset by the tile's row), the
// softmax and the product with V on chip, for GPT-2's form (heads merged
// by the store), 4-D heads whose 200 keys leave padding lanes (zeroed
// before the product with V) and a causal cross-attention (40 queries,
// the mask offset by 160): equal to the bit.
// SAME-NEXT: compared 40448 values, max abs error 0, 0 mismatches
// With an additive mask (attention_mask), its tile read beside each tile
// of scores through a view over their shape: one per row and key over
// two heads (stride 0 along the heads), one over the keys only with the
// causal mask (stride 0 along heads and rows), one per head: equal to the
// bit.
// SAME-NEXT: compared 40448 values, max abs error 0, 0 mismatches
// Grouped-query attention (attention_gqa): each key/value head's query
// heads folded into the product's rows, K and V read once per group, the
// shared mask read at the row modulo one head's 128 rows and the causal
// mask on one head's row: equal to the bit.
// SAME-NEXT: compared 49152 values, max abs error 0, 0 mismatches
// Grouped-query scores with a mask repeated over the heads folded into
// the rows (the MXU's 256-row tiles straddle the mask's 128-row runs, so
// the add stays a program of its own): equal to the bit.
// SAME-NEXT: compared 24576 values, max abs error 0, 0 mismatches
// A residual read channels-first by a channels-last convolution's program
// (its tiles through a transposed view, the result stored transposed),
// and a subtraction over a transpose left as it was: equal to the bit.
// SAME-NEXT: compared 18300 values, max abs error 0, 0 mismatches
// Grouped-query attention whose shared mask repeats every 40 of the 80
// folded rows: row tiles of 40, each within one head (one program):
// equal to the bit.
// SAME-NEXT: compared 2560 values, max abs error 0, 0 mismatches
// Padding masks over the heads ([2, 1, 1, 48] and, causal, [2, 1, 40,
// 48] over 2 x 3 heads folded into a batch of 6): the mask's tile read at
// the batch index divided by 3 (one program each): equal to the bit.
// SAME-NEXT: compared 7680 values, max abs error 0, 0 mismatches
// bf16 attention (attention_bf16): Q's and K^T's tiles bf16 into f32
// scores, the mask's bf16 tile extended on the VPU, the softmax in f32 and
// its last step rounding into the bf16 A tile of the product with V, whose
// store rounds once: equal to the bit.
// SAME-NEXT: compared 36608 values, max abs error 0, 0 mismatches
// An i64 padding mask cast to f32 and made additive, (1 - m) * -1e4
// (mask_i64): the program's tiles read i64 and convert on the vector
// unit: equal to the bit.
// SAME-NEXT: compared 80 values, max abs error 0, 0 mismatches
// Attention with K given transposed (attention_kt: a transpose of K^T
// before it): the program reads K^T's tiles from the given tensor, no
// copy: equal to the bit.
// SAME-NEXT: compared 3840 values, max abs error 0, 0 mismatches
// A batch matmul over heads whose operands are transposes ([B, S, H, D]
// read as [B*H, S, D], bmm_heads): the program reads both in place
// through uncollapsed views, the batch index split into B's and H's:
// equal to the bit (2 x 40 x 3 x 20 values).
// SAME-NEXT: compared 4800 values, max abs error 0, 0 mismatches
// A row fold and then the reciprocal of each row's sum, on the fold's
// tiles in the same program (row_sum_reciprocal), equal to the bit.
// SAME-NEXT: compared 300 values, max abs error 0, 0 mismatches
// A decode step's attention (attention_decode): causal at a position
// given when it runs (the mask reads the kernel's index argument), the
// cache's heads read in place (K^T one transposed view of the cache), and
// normalised after the product: the program stores the rows' reciprocals
// as its row chain makes them, and the product's epilogue multiplies its
// tiles by them: equal to the bit (4 x 3 x 24 values).
// SAME-NEXT: compared 288 values, max abs error 0, 0 mismatches
// Grouped-query decode (attention_decode_gqa): a group's 4 query heads,
// one row each at the position, folded into the rows; each reads the
// causal mask at its own row: equal to the bit (2 x 4 x 24 values).
// SAME-NEXT: compared 192 values, max abs error 0, 0 mismatches
//
// bf16: the MXU accumulates in f32 and rounds once; the reference is the
// f32 product of the same bf16 inputs, rounded to bf16 (equal to the bit).
// RUN: %python %S/../../lib/make_harness.py %S/../Inputs/kernels.mlir mm_bf16 > %t/bf16.mlir
// RUN: fungible-opt %t/bf16.mlir --wl-lower="target=tpu-small target-specs=%S/Inputs/tpu-small-vmem.json emulate" | %run-harness > %t/bf16.tpu
// RUN: %python %S/../../lib/make_harness.py %S/../Inputs/kernels.mlir mm_bf16_reference > %t/bf16-ref.mlir
// RUN: fungible-opt %t/bf16-ref.mlir %lower-to-llvm | %run-harness > %t/bf16.ref
// RUN: %python %S/../../lib/compare_outputs.py %t/bf16.ref %t/bf16.tpu --rtol 0 --atol 0 | FileCheck %s --check-prefix=BF16
// BF16: compared 52000 values, max abs error 0, 0 mismatches
//
// On the real v5p spec (2048-wide tiles: one tile, one K step) the result
// is the same.
// RUN: fungible-opt %t/mm_f32.mlir --wl-lower="target=tpu-v5p emulate" | %run-harness > %t/v5p.tpu
// RUN: %python %S/../../lib/compare_outputs.py %t/mm_f32.ref %t/v5p.tpu --rtol 0 --atol 0 | FileCheck %s --check-prefix=V5P
// V5P: compared 52000 values, max abs error 0, 0 mismatches
