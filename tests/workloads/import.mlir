// REQUIRES: workloads
// Every real model of shared/workloads imports into wl; the raised and
// opaque counts are recorded here, and where a file carries a
// BENCH_TOTAL_FLOPS line the imported FLOP total equals it exactly.

// BERT attention softmax(QK^T) x V; BENCH_TOTAL_FLOPS: 67108864.
// RUN: fungible-opt %workloads/bert_mha_softmax_times_value_generic.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=BERT
// BERT: wl-import total: 6 raised ops (67108864 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised

// Three bf16 1024 GEMMs; BENCH_TOTAL_FLOPS: 1610612736.
// RUN: fungible-opt %workloads/gemm_bf16_3x1024_torch_dynamo.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=GEMM
// GEMM: wl-import total: 3 raised ops (1610612736 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised

// bf16 3-layer MLP; BENCH_TOTAL_FLOPS: 1612185600.
// RUN: fungible-opt %workloads/mlp_bf16_3x1024_torch_dynamo.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=MLPBF16
// MLPBF16: raised:     9 ops, 1612185600 FLOPs (wl.add 3, wl.matmul 3, wl.relu 3)
// MLPBF16: wl-import total: 9 raised ops (1612185600 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised

// RUN: fungible-opt %workloads/mlp_1layer_linalg.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=MLP1
// The layer's matmul accumulates into its broadcast bias: one wl.matmul
// with that accumulator, 2*128*512*256 FLOPs, and the ReLU's 128*512.
// MLP1: wl-import total: 4 raised ops (33619968 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised
// RUN: fungible-opt %workloads/mlp_3layers_linalg.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=MLP3
// MLP3: wl-import total: 9 raised ops (1612185600 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised
// RUN: fungible-opt %workloads/simple_gemm_linalg.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=GEMM1
// C + A*B on 4x8 by 8x4: one wl.matmul with C as its accumulator,
// 2*4*4*8 = 256 FLOPs (it was a matmul and an add, 272).
// GEMM1: wl-import total: 1 raised ops (256 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised

// Whole CNNs from torchvision through torch-mlir (NCHW, batch norm as
// generics, padding as tensor.pad). The NCHW<->NHWC transposes around
// their convolutions sink past the layout-blind ops between them and
// cancel (Layout.h), and the weights' transposes and batch norm's
// per-channel arithmetic fold into constants: wl.transpose ops, before ->
// after, ResNet-18 64 -> 1 (its input's), VGG-11 29 -> 2, SqueezeNet 80 ->
// 13, EfficientNet-B0 268 -> 1, MobileNetV3 250 -> 1 (a transpose whose
// users are all layout-blind, as a SiLU's or hardswish's two reads, sinks
// below each: layout-silu.mlir; it was 58 and 32 when it stopped there,
// 23 and 13 while a squeeze-excitation gate's product with the CHW map of
// an image whose batch dim was dropped stopped it: a lower-rank transpose
// operand is now lifted to the product's rank). The folded
// batch norm arithmetic, add(var, eps) and rsqrt per channel, is no
// longer counted: ResNet-18's 20 batch norms have 4800 channels, 2 * 4800
// = 9600 FLOPs fewer (75360104 -> 75350504). The reshapes torch-mlir puts
// around each ReLU and residual add (dropping the batch dim and adding it
// back) sink below them and fold (reshape-sinking.mlir): ops, before ->
// after, ResNet-18 174 -> 142, VGG-11 67 -> 51, SqueezeNet 160 -> 138,
// EfficientNet-B0 764 -> 725, MobileNetV3 640 -> 607 (then 598 and 504
// with the SiLUs' transposes gone). A reshape read only by elementwise ops
// sinks below all of them, a constant operand reshaped to match
// (reshape-sinking-se.mlir): ResNet-18 133, SqueezeNet 124, EfficientNet-B0
// 526, MobileNetV3 438 (its hardswish's scalar constants broadcast as
// they are), then 482 and 414 with the gates' transposes gone; the TOSA transformer 46 -> 43; RoPE's sine and
// cosine products now run before its reshape, 10 -> 11 (a view). A
// broadcast of a reshape back to the reshape's input type (1 x N through
// N and back, repeating nothing) folds away: ResNet-18 131, VGG-11 41,
// EfficientNet-B0 480, MobileNetV3 400 (its classifier's hard-swish). A
// multiplication or division by a splat one (that does not broadcast its
// operand) is its operand: ResNet-18 111 (20 of them, 50688 FLOPs fewer),
// EfficientNet-B0 431, MobileNetV3 366; tests/workloads/numeric.mlir runs
// each model before and after.
// Convolution taps that only read padding are sliced off (docs/Import.md;
// tests/passes/wl-import/conv-padding-taps.mlir): the totals below are
// those before it less the taps' work, which tests/lib/padding_taps.py
// counts by brute force from the linalg (every tap against every output):
// ResNet-18 75299816 - 13893632 (its last stage on a 1x1 image: three
// 512-channel 3x3 convolutions to their centre tap, 3 x 2*512*512*8, and
// the 2x2 stride-2 one to 2x2 taps, 2*512*256*5) = 61406184, SqueezeNet
// 7120888 - 819200 = 6301688, EfficientNet-B0 20271388 - 446016 =
// 19825372, MobileNetV3-small 6578616 - 162624 = 6415992; VGG-11 none.
// RUN: for m in resnet18 squeezenet1_1 efficientnet_b0 mobilenet_v3_small vgg11; do \
// RUN:   echo "$m $(%python %S/../lib/padding_taps.py %workloads/${m}_torchvision_linalg.mlir)"; \
// RUN: done | FileCheck %s --check-prefix=TAPS
// TAPS: resnet18 4 convolutions trimmed, 13893632 FLOPs of taps that only read padding
// TAPS-NEXT: squeezenet1_1 4 convolutions trimmed, 819200 FLOPs
// TAPS-NEXT: efficientnet_b0 8 convolutions trimmed, 446016 FLOPs
// TAPS-NEXT: mobilenet_v3_small 7 convolutions trimmed, 162624 FLOPs
// TAPS-NEXT: vgg11 0 convolutions trimmed, 0 FLOPs
// RUN: fungible-opt %workloads/resnet18_torchvision_linalg.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=RESNET
// RESNET: wl.transpose 1
// RESNET: wl-import total: 111 raised ops (61406184 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised
// RUN: fungible-opt %workloads/vgg11_torchvision_linalg.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=VGG
// VGG: wl.transpose 2
// VGG: wl-import total: 41 raised ops (15239196136 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised
// RUN: fungible-opt %workloads/squeezenet1_1_torchvision_linalg.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=SQUEEZE
// SqueezeNet's 8 channel concats, written in NCHW between NHWC
// convolutions, run in NHWC: the transposes around them sank through and
// cancelled (13 transposes -> 1, the input's).
// SQUEEZE: wl.transpose 1
// SQUEEZE: wl-import total: 116 raised ops (6301688 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised
// RUN: fungible-opt %workloads/efficientnet_b0_torchvision_linalg.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=EFFNET
// EfficientNet's sigmoids (1 / (1 + e^-x), one generic each, in its SiLUs
// and squeeze-excitation gates) are raised as wl.sigmoid: 65 of them, each
// 1 wl op instead of 4 and 1 FLOP per element
// instead of 4 (135004 elements in all: 20855920 - 3*135004 = 20450908,
// less 42016 of folded batch norm arithmetic).
// EFFNET: wl.transpose 1
// EFFNET: wl-import total: 431 raised ops (19825372 FLOPs), 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised
// MobileNetV3's hardswish clamps go through i64 scalar tensors: three
// zero-FLOP opaque casts, and the three i64 fills they read left as is.
// RUN: fungible-opt %workloads/mobilenet_v3_small_torchvision_linalg.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=MOBILENET
// MOBILENET: wl.transpose 1
// MOBILENET: wl-import total: 366 raised ops (6415992 FLOPs), 3 opaque kernels (0 FLOPs), 3 left as is (0 FLOPs); 100.00% of FLOPs raised

// TOSA from buddy-mlir; their timing harnesses (@main, rtclock) are left
// alone but accounted for: the f64 subtraction of two timer readings is 1
// FLOP, vector.print and @main's fills none. RoPE's i64 positions are
// a constant: their cast to f32 and its reshape fold into an f32 constant;
// the outer product of 64 frequencies and 1024 positions is 131072 FLOPs;
// its repeat over both halves (x + zeros of the repeated shape) is a
// broadcast, which sinks below the math.cos and math.sin, so that each
// runs once per angle (2 * 65536 FLOPs; the broadcasts and the transposes,
// one per result, move data); its two multiplications by one fold away:
// 262144 / (262144 + 1) = 100.00%.
// RUN: fungible-opt %workloads/rope_positional_encoding_tosa.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=ROPE
// ROPE: raised: 12 ops, 262144 FLOPs (wl.batch_matmul 1, wl.broadcast 2, wl.cos 1, wl.reshape 5, wl.sin 1, wl.transpose 2)
// ROPE: left as is: 2 ops, 1 FLOPs (arith.subf 1, vector.print 1)
// ROPE: wl-import total: 12 raised ops (262144 FLOPs), 0 opaque kernels (0 FLOPs), 4 left as is (1 FLOPs); 100.00% of FLOPs raised
// RUN: fungible-opt %workloads/transformer_subgraph_tosa.mlir -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=TOSA
// Its RMS norms (the 1/n a reshaped rank-1 constant) and softmax (a
// multiply by the sum's reciprocal) are fused back, its two integer
// powers (math.fpowi in generics) raised, and its attention (QK^T, the
// scale, the mask, the softmax and PV) fused into one wl.attention with
// the same FLOPs as its five ops, which reads K and V unrepeated: their
// repeat over the 6 query heads of each key/value head (x + 0 broadcast,
// 2 x 61440 FLOPs that compute nothing) is gone. Its i64 padding mask is
// cast by wl.cast before its reshape: no opaque kernel is left.
// TOSA: raised: 35 ops, 3755071040 FLOPs (wl.add 2, wl.attention 1, wl.cast 1, wl.matmul 7, wl.mul 3, wl.reshape 13, wl.rms_norm 2, wl.sigmoid 1, wl.sub 1, wl.transpose 4)
// TOSA: wl-import total: 35 raised ops (3755071040 FLOPs), 0 opaque kernels (0 FLOPs), 12 left as is (12 FLOPs); 100.00% of FLOPs raised

// Kernels per model after wl-import-and-outline (what every tool costs,
// places and runs), against what a fusing compiler makes of the model:
// one kernel per convolution or GEMM with its batch norm, activation,
// bias and residual fused in, one per pooling, per softmax and per norm
// (docs/Import.md derives each reference). ResNet-18: 20 convolutions,
// 2 poolings, the classifier, the input's NCHW->NHWC transpose = 24.
// VGG-11: 8 + 6 + 3 + 1 = 18. SqueezeNet 1.1: 26 + 4 + 1 = 31 (its
// concats fuse into the convolutions that write them). EfficientNet-B0:
// 81 convolutions (squeeze-excitation's included), 16 + 1 global average
// pools, the classifier, the input transpose = 100. MobileNetV3-small:
// 52 + 10 + 2 + 1, and its 6 hardswish clamps on i64 scalars (opaque) = 71.
// RUN: for m in resnet18 vgg11 squeezenet1_1 efficientnet_b0 mobilenet_v3_small; do \
// RUN:   echo "$m $(fungible-opt %workloads/${m}_torchvision_linalg.mlir --wl-import-and-outline | grep -c 'wl.kernel \"')"; \
// RUN: done | FileCheck %s --check-prefix=KERNELS
// KERNELS: resnet18 24
// KERNELS-NEXT: vgg11 18
// KERNELS-NEXT: squeezenet1_1 31
// KERNELS-NEXT: efficientnet_b0 100
// KERNELS-NEXT: mobilenet_v3_small 71

// A matmul takes the reshapes and broadcasts only it reads. The one-layer
// MLP is one kernel (its bias broadcast into the accumulator, the ReLU
// fused), as is RoPE (the outer product with cos and sin and their
// repeats; its positions a constant), as one dispatch of a fusing
// compiler each. So is BERT's softmax x V: the batch matmul takes the
// transpose that splits V's heads ([B, S, H, D] read as [B*H, S, D]),
// which every family reads in place (docs/Import.md).
// RUN: for m in bert_mha_softmax_times_value_generic mlp_1layer_linalg rope_positional_encoding_tosa; do \
// RUN:   echo "$m $(fungible-opt %workloads/$m.mlir --wl-import-and-outline | grep -c 'wl.kernel \"')"; \
// RUN: done | FileCheck %s --check-prefix=SMALL
// SMALL: bert_mha_softmax_times_value_generic 1
// SMALL-NEXT: mlp_1layer_linalg 1
// SMALL-NEXT: rope_positional_encoding_tosa 1

// The TOSA transformer subgraph: 7 GEMMs, 2 RMS norms, one attention and
// its padding mask's preparation (the i64 mask cast, 1 - m, times -1e4:
// one elementwise kernel, which a fusing compiler would fold into the
// attention) = 11, against a reference of 10 (+10%).
// RUN: fungible-opt %workloads/transformer_subgraph_tosa.mlir --wl-import-and-outline | grep -c 'wl.kernel "' | FileCheck %s --check-prefix=TOSAKERNELS
// TOSAKERNELS: 11
