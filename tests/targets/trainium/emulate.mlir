// Numeric tests of the Trainium family's host emulator: each function of
// Inputs/kernels.mlir is lowered to neuron programs (`wl-lower{target=trn2
// emulate}`: neuron -> loops on memref views -> LLVM), run on deterministic
// inputs, and compared with the reference lowering (%lower-to-llvm: wl ->
// linalg -> loops) of the same function. The shapes span several 128x512
// output tiles, ragged edges and 128-deep K steps (300 = 128 + 128 + 44).
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: for f in mm_f32 bmm_f32 epilogue_branches ew_f32 bias_softmax mm_i8 row_folds bias_rows mm_epilogue norms wide_sum conv_pad_s2 conv_dilated conv_shapes depthwise_pools layout_copies epilogue_reshapes se_excitation attention attention_mask attention_gqa gqa_mask residual_nchw gqa_short_heads attention_padding attention_bf16 mask_i64 attention_kt bmm_heads row_sum_reciprocal attention_decode attention_decode_gqa; do \
// RUN:   %python %S/../../lib/make_harness.py %S/../Inputs/kernels.mlir $f > %t/$f.mlir && \
// RUN:   fungible-opt %t/$f.mlir --wl-lower="target=trn2 emulate" | %run-harness > %t/$f.trn && \
// RUN:   fungible-opt %t/$f.mlir %lower-to-llvm | %run-harness > %t/$f.ref && \
// RUN:   %python %S/../../lib/compare_outputs.py %t/$f.ref %t/$f.trn --rtol 0 --atol 0 >> %t/report.txt || exit 1; done
// RUN: FileCheck %s --check-prefix=SAME < %t/report.txt
//
// PSUM accumulates f32 products in the same K order as the reference:
// equal to the last bit, as are elementwise, broadcast and reductions (each
// row folded in column order, as the reference's loop does).
// SAME: compared 52000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 48000 values, max abs error 0, 0 mismatches
// Two epilogue branches on one product (epilogue_branches: a cos stored
// transposed and twice per tile, a biased sin), equal to the bit.
// SAME-NEXT: compared 15600 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 12000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 2000 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 3000 values, max abs error 0, 0 mismatches
// Row folds (neuron.reduce, the ragged last column tile folded through a
// shorter access pattern) and a per-partition column operand:
// SAME-NEXT: compared 750600 values, max abs error 0, 0 mismatches
// Bias rows broadcast into every partition (ragged column and row tiles):
// SAME-NEXT: compared 750000 values, max abs error 0, 0 mismatches
// A matmul's epilogue on the engines, on its tiles in SBUF (#17 item 1):
// the bias row through a partition-stride-0 view, the per-row scale as a
// per-partition column, GELU on the Scalar engine, a residual; the first
// op reads the PSUM bank.
// SAME-NEXT: compared 52000 values, max abs error 0, 0 mismatches
// Norms, one program each on whole rows (RowPrograms.cpp), and a fold too
// wide for that over column tiles:
// SAME-NEXT: compared 460800 values, max abs error 0, 0 mismatches
// SAME-NEXT: compared 3 values, max abs error 0, 0 mismatches
// Convolutions as implicit GEMMs on the TensorEngine: per filter tap and
// block of 128 channels, the window of the input DMA'd transposed (the
// channels on the partitions) as the stationary tile, the padding read as
// zeros outside the input, accumulated in one PSUM group; the epilogue on
// the engines. Summed in the reference's order: equal to the bit.
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
// a sigmoid or a clamp between scalar arguments) copied onto every
// partition by the TensorEngine (a row of ones times the gate, exact) and
// multiplied into the feature map's tiles in the same program: equal to
// the bit.
// SAME-NEXT: compared 90000 values, max abs error 0, 0 mismatches
// Attention, one program per tile of query rows (AttentionPrograms.cpp):
// per block of 128 keys the TensorEngine makes the scores in a PSUM bank,
// the Vector engine masks them (neuron.iota offset by the block's row and
// column), the softmax runs block by block (its folds carried across
// blocks in order), and each block of probabilities is transposed
// (neuron.transpose) into a K step of the product with V: GPT-2's form
// (two row tiles and two key blocks per head), 4-D heads with 200 keys
// (the second block's last 56 lanes zeroed) and a causal
// cross-attention: equal to the bit.
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
// the rows: the epilogue reads the mask's tile at the row modulo 128 (one
// program): equal to the bit.
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
// bf16 attention (attention_bf16): Q^T's and K^T's tiles bf16 into f32
// PSUM, the softmax in f32 and its last step rounding into bf16 blocks,
// transposed through an f32 bank (exact) into bf16 stationary tiles:
// equal to the bit.
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
// bf16: PSUM holds f32, rounded to bf16 once by the Vector engine; the
// reference is the f32 product of the same bf16 inputs rounded to bf16.
// RUN: %python %S/../../lib/make_harness.py %S/../Inputs/kernels.mlir mm_bf16 > %t/bf16.mlir
// RUN: fungible-opt %t/bf16.mlir --wl-lower="target=trn1 emulate" | %run-harness > %t/bf16.trn
// RUN: %python %S/../../lib/make_harness.py %S/../Inputs/kernels.mlir mm_bf16_reference > %t/bf16-ref.mlir
// RUN: fungible-opt %t/bf16-ref.mlir %lower-to-llvm | %run-harness > %t/bf16.ref
// RUN: %python %S/../../lib/compare_outputs.py %t/bf16.ref %t/bf16.trn --rtol 0 --atol 0 | FileCheck %s --check-prefix=BF16
// BF16: compared 52000 values, max abs error 0, 0 mismatches
