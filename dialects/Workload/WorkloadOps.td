//===- WorkloadOps.td - Ops of the wl dialect ---------------*- tablegen -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file defines the ops of the wl dialect: contractions, elementwise
// arithmetic, reductions and normalisations, pooling, data layout and
// device transfers. Every op works on statically shaped ranked tensors and
// implements WorkloadCostInterface.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADOPS_TD
#define FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADOPS_TD

include "dialects/Workload/WorkloadDialect.td"
include "dialects/Workload/WorkloadAttrs.td"
include "dialects/Workload/WorkloadInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

/// Every wl op: side-effect free, statically shaped, and costed.
/// `costOverrides` names the cost methods with a default implementation
/// that the op defines itself.
class WL_ComputeOp<string mnemonic, list<Trait> traits = [],
                   list<string> costOverrides = []> :
    WL_Op<mnemonic, !listconcat(traits, [Pure, WL_StaticShapes,
        DeclareOpInterfaceMethods<WL_WorkloadCostInterface, costOverrides>])>;

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def WL_MatmulOp : WL_ComputeOp<"matmul"> {
  let summary = "matrix multiplication with optional operand transposes";
  let description = [{
    Computes `result[m, n] = acc[m, n] + sum_k lhs[m, k] * rhs[k, n]` on
    rank-2 tensors, `acc` being zero when the optional accumulator is
    absent. `transpose_lhs` reads the left operand as `K x M`,
    `transpose_rhs` reads the right operand as `N x K`. Both operands have
    one element type; the result (and `acc`, of the result's type) has the
    same element type, or accumulates in f32 (for f16, bf16 and f8
    operands) or i32 (for i8 operands). With an accumulator the sum is
    formed as without one and `acc` added to it, in the arithmetic of a
    `wl.add` after it (so every target computes the same numbers: a matrix
    unit's accumulator starts from zero and a vector unit adds the old
    tile). Work: 2*M*N*K FLOPs, with or without an accumulator: the
    convention counts multiply-accumulates, and the import makes one op of
    a `linalg.matmul` into a non-zero output.

    ```mlir
    %c = wl.matmul %a, %b {transpose_rhs}
        : (tensor<128x64xbf16>, tensor<256x64xbf16>) -> tensor<128x256xf32>
    %d = wl.matmul %a, %b acc %c {transpose_rhs}
        : (tensor<128x64xbf16>, tensor<256x64xbf16>, tensor<128x256xf32>)
          -> tensor<128x256xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$lhs, WL_Tensor:$rhs,
                       Optional<WL_Tensor>:$acc,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`acc` $acc^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def WL_BatchMatmulOp : WL_ComputeOp<"batch_matmul"> {
  let summary = "batched matrix multiplication";
  let description = [{
    Computes `result[b, m, n] = acc[b, m, n] + sum_k lhs[b, m, k] *
    rhs[b, k, n]` on rank-3 tensors with the same batch size, with the same
    optional transposes, accumulator operand and accumulator types as
    `wl.matmul`. Work: 2*B*M*N*K FLOPs.

    ```mlir
    %c = wl.batch_matmul %a, %b
        : (tensor<8x64x32xf32>, tensor<8x32x16xf32>) -> tensor<8x64x16xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$lhs, WL_Tensor:$rhs,
                       Optional<WL_Tensor>:$acc,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`acc` $acc^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def WL_Conv2DOp : WL_ComputeOp<"conv2d"> {
  let summary = "2-D convolution, NHWC input and HWCF filter, grouped";
  let description = [{
    A 2-D cross-correlation of an `N x H x W x C` input with a
    `KH x KW x (C/groups) x F` filter giving `N x OH x OW x F`, where
    `OH = (H + pad_top + pad_bottom - dilation_h * (KH - 1) - 1) / stride_h + 1`
    (likewise OW). `padding` is `[top, bottom, left, right]` of zeros.
    `groups` splits input channels and filters into independent groups
    (both C and F must be divisible by it); `groups = C` with `F = C` is a
    depthwise convolution. Accumulator types as in `wl.matmul`.
    Work: 2*N*OH*OW*F*KH*KW*(C/groups) FLOPs.

    ```mlir
    %y = wl.conv2d %x, %w {strides = array<i64: 2, 2>,
                           padding = array<i64: 1, 1, 1, 1>}
        : (tensor<1x56x56x64xf32>, tensor<3x3x64x128xf32>)
        -> tensor<1x28x28x128xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$input, WL_Tensor:$filter,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding,
      DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  // Filter rows and columns that only ever meet padding are sliced off
  // (a 3x3 filter on a 1x1 image padded by 1 is its centre tap).
  let hasCanonicalizer = 1;
}

def WL_AttentionOp : WL_ComputeOp<"attention", [AttrSizedOperandSegments]> {
  let summary = "scaled dot-product attention with an optional mask";
  let description = [{
    Computes `softmax(scale * Q K^T + mask) V` over the last two dimensions;
    all leading dimensions are batch dimensions. Shapes: query `[..., Sq,
    D]`, key `[..., Sk, D]`, value `[..., Sk, Dv]`, result `[..., Sq, Dv]`,
    all of one floating-point element type. Key and value have the same
    batch dimensions, the query's, except that trailing ones may be 1 where
    the query's are not: grouped-query attention, the query heads there
    sharing one key/value head (Llama's `[B, 8, 4, S, D]` queries over
    `[B, 8, 1, S, D]` keys). `scale`
    defaults to `1/sqrt(D)`. The optional additive `mask` (of the same
    element type) is broadcast to the scores' shape `[..., Sq, Sk]` as
    `wl.add` broadcasts (aligned at the trailing dimension, each of its
    dimensions that dimension's size or 1); it is added to the scaled
    scores in the same arithmetic (a padding mask, or a causal mask as
    producers pass it, 0 or a large negative). With `causal`, query row `i`
    attends to keys `j <= i + offset` and the others score -inf; `offset`
    is `Sk - Sq` (the last query row sees every key, as with a KV cache,
    so `causal` alone requires `Sq <= Sk`), or the `offset` operand, an
    `index` known when the kernel runs, read as unsigned: a decode step
    over a static cache filled up to the token's position `pos` (one query
    row at `offset = pos`: keys after it masked). `i + offset` is index
    arithmetic, as the comparison is (`j >u i + offset` masks).

    Normalisation: the probabilities `P = E / rowsum(E)`, with
    `E = exp(X - rowmax(X))` for the scaled and masked scores `X`, are
    multiplied by V; with `normalize_after`, the weighted sum is normalised
    instead, `O = (E V) * (1 / rowsum(E))` (one reciprocal per row), as
    FlashAttention and a decode step's loops compute it. The two differ
    in rounding only.

    Precision: in an element type narrower than f32 (bf16, f16), the
    products take operands of that type and accumulate in f32; the scores,
    the mask and the softmax are f32, and the probabilities are rounded to
    the element type before the product with V, as fused attention kernels
    feed the matrix unit (FlashAttention, TPU splash attention); the result
    is rounded once.

    Work: per score, 2*D for Q K^T, one for the scaling, one for the mask
    when there is one, five for the softmax, and 2*Dv for the product with V;
    with `normalize_after`, four for the softmax per score, then one per
    query row (the reciprocal) and one per result element.

    ```mlir
    %o = wl.attention %q, %k, %v {causal}
        : (tensor<1x12x128x64xf32>, tensor<1x12x128x64xf32>,
           tensor<1x12x128x64xf32>) -> tensor<1x12x128x64xf32>
    %p = wl.attention %q, %k, %v mask %m {scale = 1.250000e-01 : f64}
        : (tensor<12x128x64xf32>, tensor<12x128x64xf32>,
           tensor<12x128x64xf32>, tensor<128x128xf32>) -> tensor<12x128x64xf32>
    %t = wl.attention %q1, %kc, %vc offset %pos {causal, normalize_after}
        : (tensor<8x1x64xf32>, tensor<8x128x64xf32>, tensor<8x128x64xf32>,
           index) -> tensor<8x1x64xf32>
    ```
  }];
  let arguments = (ins WL_FloatTensor:$query, WL_FloatTensor:$key,
                       WL_FloatTensor:$value, Optional<WL_FloatTensor>:$mask,
                       Optional<Index>:$offset,
                       OptionalAttr<F64Attr>:$scale, UnitAttr:$causal,
                       UnitAttr:$normalize_after);
  let results = (outs WL_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`mask` $mask^)? (`offset` $offset^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The scale applied to the scores: the attribute, or 1/sqrt(D).
    double getEffectiveScale();
    /// The leading batch dimensions key and value share with the query
    /// (the rest are 1 in them: grouped-query attention's groups).
    unsigned getSharedBatchRank();
    /// The attention as its products run it: the key/value heads (the
    /// shared batch dimensions, collapsed) and each head's query rows (the
    /// query heads of its group folded into the rows).
    std::pair<int64_t, int64_t> getHeadsAndRows();
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class WL_UnaryOp<string mnemonic, string formula, Type TensorT = WL_Tensor,
                 list<Trait> traits = []> :
    WL_ComputeOp<mnemonic, !listconcat(traits, [SameOperandsAndResultType])> {
  let summary = "elementwise " # formula;
  let description = "Applies `" # formula # "` to every element; the result " #
    "has the operand's type. Work: one FLOP per element.\n\n" #
    "```mlir\n%y = wl." # mnemonic # " %x : tensor<4x8xf32>\n```";
  let arguments = (ins TensorT:$input);
  let results = (outs TensorT:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def WL_ReluOp : WL_UnaryOp<"relu", "max(x, 0)">;
def WL_NegOp : WL_UnaryOp<"neg", "-x">;
def WL_ExpOp : WL_UnaryOp<"exp", "e^x", WL_FloatTensor>;
def WL_TanhOp : WL_UnaryOp<"tanh", "tanh(x)", WL_FloatTensor>;
def WL_SigmoidOp : WL_UnaryOp<"sigmoid", "1 / (1 + e^-x)", WL_FloatTensor>;
def WL_SqrtOp : WL_UnaryOp<"sqrt", "sqrt(x)", WL_FloatTensor> {
  let hasFolder = 1;
}
def WL_RsqrtOp : WL_UnaryOp<"rsqrt", "1 / sqrt(x)", WL_FloatTensor> {
  let hasFolder = 1;
}
def WL_SinOp : WL_UnaryOp<"sin", "sin(x)", WL_FloatTensor>;
def WL_CosOp : WL_UnaryOp<"cos", "cos(x)", WL_FloatTensor>;

def WL_GeluOp : WL_ComputeOp<"gelu", [SameOperandsAndResultType]> {
  let summary = "elementwise Gaussian error linear unit";
  let description = [{
    Computes `x * 0.5 * (1 + erf(x / sqrt(2)))` per element, or with
    `approximate` the tanh form
    `0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))`, as PyTorch's
    `gelu(approximate="tanh")`. Work: one FLOP per element.

    ```mlir
    %y = wl.gelu %x {approximate} : tensor<8x3072xbf16>
    ```
  }];
  let arguments = (ins WL_FloatTensor:$input, UnitAttr:$approximate);
  let results = (outs WL_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

class WL_BinaryOp<string mnemonic, string formula> :
    WL_ComputeOp<mnemonic, [SameOperandsAndResultElementType]> {
  let summary = "elementwise " # formula # " with numpy-style broadcasting";
  let description = "Computes `" # formula # "` per element. The operand " #
    "shapes broadcast as in numpy: they are aligned at their trailing " #
    "dimension, and each pair of dimensions must be equal or one of them 1; " #
    "the result has the broadcast shape and the operands' element type. " #
    "Work: one FLOP per result element.\n\n" #
    "```mlir\n%z = wl." # mnemonic # " %x, %bias\n" #
    "    : (tensor<8x1024xf32>, tensor<1024xf32>) -> tensor<8x1024xf32>\n```";
  let arguments = (ins WL_Tensor:$lhs, WL_Tensor:$rhs);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  // Folds float constants of at most 4096 elements (batch norm's
  // per-channel parameters), computed in the element type as the
  // generated code computes them.
  let hasFolder = 1;
}

def WL_AddOp : WL_BinaryOp<"add", "lhs + rhs">;
def WL_SubOp : WL_BinaryOp<"sub", "lhs - rhs">;
def WL_MulOp : WL_BinaryOp<"mul", "lhs * rhs">;
def WL_DivOp : WL_BinaryOp<"div", "lhs / rhs">;
def WL_MaxOp : WL_BinaryOp<"max", "max(lhs, rhs)">;
def WL_MinOp : WL_BinaryOp<"min", "min(lhs, rhs)">;

def WL_CastOp : WL_ComputeOp<"cast", [SameOperandsAndResultShape]> {
  let summary = "elementwise conversion between element types";
  let description = [{
    Converts every element to the result's element type: floats are
    extended or rounded to nearest even, float to integer truncates toward
    zero (signed), integer to float and integer to integer are signed.
    A type conversion is not arithmetic: zero FLOPs. The input may also be
    i64 (the indices and masks producers pass as int64: the cast brings
    them into a Workload type; no other op takes i64).

    ```mlir
    %y = wl.cast %x : tensor<4x8xf32> -> tensor<4x8xbf16>
    %m = wl.cast %ids : tensor<1x40xi64> -> tensor<1x40xf32>
    ```
  }];
  let arguments = (ins WL_CastInput:$input);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions and normalisations
//===----------------------------------------------------------------------===//

def WL_ReduceOp : WL_ComputeOp<"reduce"> {
  let summary = "sum, max, min or mean over the given dimensions";
  let description = [{
    Reduces `input` over `dims` (sorted, unique, in range) with the given
    combiner. The reduced dimensions are dropped from the result, or kept
    with size 1 with `keep_dims`. `mean` needs a floating-point type. The
    result has the input's element type. Work: one FLOP per input element.

    ```mlir
    %s = wl.reduce sum %x dims = [1] : tensor<8x1024xf32> -> tensor<8xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$input, WL_ReduceKindAttr:$kind,
                       DenseI64ArrayAttr:$dims, UnitAttr:$keep_dims);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $kind $input `dims` `=` $dims attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def WL_SoftmaxOp : WL_ComputeOp<"softmax", [SameOperandsAndResultType]> {
  let summary = "softmax along one dimension";
  let description = [{
    Computes `exp(x - max(x)) / sum(exp(x - max(x)))` along `axis`, in a
    numerically stable way. Work: 5 FLOPs per element (max, subtract, exp,
    sum, divide).

    ```mlir
    %p = wl.softmax %x axis = 1 : tensor<8x128xf32>
    ```
  }];
  let arguments = (ins WL_FloatTensor:$input, I64Attr:$axis);
  let results = (outs WL_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def WL_LayerNormOp : WL_ComputeOp<"layer_norm"> {
  let summary = "layer normalisation over the trailing dimensions";
  let description = [{
    Normalises `input` over its trailing `rank(scale)` dimensions to zero
    mean and unit (biased) variance, then applies `scale` and `bias`:
    `(x - mean) / sqrt(var + epsilon) * scale + bias`. `scale` and `bias`
    have the shape of those trailing dimensions; all element types agree.
    Work: 7 FLOPs per element + 4 per normalised row.

    ```mlir
    %y = wl.layer_norm %x, %gamma, %beta {epsilon = 1.0e-05 : f64}
        : (tensor<8x768xf32>, tensor<768xf32>, tensor<768xf32>)
        -> tensor<8x768xf32>
    ```
  }];
  let arguments = (ins WL_FloatTensor:$input, WL_FloatTensor:$scale,
                       WL_FloatTensor:$bias,
                       DefaultValuedAttr<F64Attr, "1.0e-5">:$epsilon);
  let results = (outs WL_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def WL_RmsNormOp : WL_ComputeOp<"rms_norm"> {
  let summary = "root-mean-square normalisation over the trailing dimensions";
  let description = [{
    Computes `x / sqrt(mean(x^2) + epsilon) * scale` over the trailing
    `rank(scale)` dimensions (as in Llama). Work: 4 FLOPs per element + 3
    per normalised row.

    ```mlir
    %y = wl.rms_norm %x, %w {epsilon = 1.0e-06 : f64}
        : (tensor<8x4096xbf16>, tensor<4096xbf16>) -> tensor<8x4096xbf16>
    ```
  }];
  let arguments = (ins WL_FloatTensor:$input, WL_FloatTensor:$scale,
                       DefaultValuedAttr<F64Attr, "1.0e-6">:$epsilon);
  let results = (outs WL_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

def WL_Pool2DOp : WL_ComputeOp<"pool2d"> {
  let summary = "2-D max, average or sum pooling on NHWC tensors";
  let description = [{
    Pools `N x H x W x C` over `window = [KH, KW]` windows with `strides`
    and `padding = [top, bottom, left, right]`, giving `N x OH x OW x C`
    with `OH = (H + top + bottom - KH) / stride_h + 1` (likewise OW).
    Padding is -infinity (the type's lowest value for integers) for `max`;
    `avg` divides by the full window size, counting padding (PyTorch's
    `count_include_pad=True`) and needs a floating-point type; `sum` adds
    the window up (zero padding).
    Work: KH*KW FLOPs per output element.

    ```mlir
    %y = wl.pool2d max %x {window = array<i64: 3, 3>,
                           strides = array<i64: 2, 2>,
                           padding = array<i64: 1, 1, 1, 1>}
        : tensor<1x112x112x64xf32> -> tensor<1x56x56x64xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$input, WL_PoolKindAttr:$kind,
      DenseI64ArrayAttr:$window,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $kind $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data layout
//===----------------------------------------------------------------------===//

class WL_DataOp<string mnemonic, list<Trait> traits = [],
                list<string> costOverrides = []> :
    WL_ComputeOp<mnemonic, !listconcat(traits,
                                       [SameOperandsAndResultElementType]),
                 costOverrides>;

def WL_TransposeOp : WL_DataOp<"transpose"> {
  let summary = "permutes the dimensions of a tensor";
  let description = [{
    Result dimension `d` is input dimension `permutation[d]`, so
    `result[i, j] = input[j, i]` for `perm = [1, 0]`. Data movement: zero
    FLOPs.

    ```mlir
    %t = wl.transpose %x perm = [1, 0] : tensor<4x8xf32> -> tensor<8x4xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $input `perm` `=` $permutation attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def WL_ReshapeOp : WL_DataOp<"reshape"> {
  let summary = "reinterprets a tensor with another shape, row-major";
  let description = [{
    Gives the elements of `input`, in row-major order, the result's shape;
    both have the same number of elements. Data movement: zero FLOPs.

    ```mlir
    %r = wl.reshape %x : tensor<8x12x64xf32> -> tensor<8x768xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$input);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def WL_BroadcastOp : WL_DataOp<"broadcast"> {
  let summary = "broadcasts a tensor to a larger shape, numpy style";
  let description = [{
    Aligns `input` with the result at the trailing dimension; every input
    dimension equals the result's or is 1 (then repeated), and missing
    leading dimensions are added. Data movement: zero FLOPs.

    ```mlir
    %b = wl.broadcast %bias : tensor<1024xf32> -> tensor<8x1024xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$input);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def WL_ConcatOp : WL_DataOp<"concat"> {
  let summary = "concatenates tensors along one dimension";
  let description = [{
    Joins one or more tensors of equal rank along `dim`; every other
    dimension agrees, and the result's `dim` is the sum of the inputs'.
    Data movement: zero FLOPs.

    ```mlir
    %c = wl.concat %a, %b dim = 1
        : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<WL_Tensor>:$inputs, I64Attr:$dim);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $inputs `dim` `=` $dim attr-dict `:` functional-type($inputs, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def WL_SliceOp : WL_DataOp<"slice", [], ["getBytesRead"]> {
  let summary = "extracts a strided box of a tensor";
  let description = [{
    `result[i] = input[offsets + i * strides]` for every index `i` of the
    result's shape. `strides` default to 1; every selected index must lie
    inside `input`. Data movement: zero FLOPs; reads only what it selects.

    ```mlir
    %s = wl.slice %x offsets = [0, 2] {strides = array<i64: 1, 2>}
        : tensor<4x8xf32> -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$input, DenseI64ArrayAttr:$offsets,
                       OptionalAttr<DenseI64ArrayAttr>:$strides);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $input `offsets` `=` $offsets attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// The strides, with the default of 1 per dimension filled in.
    ::llvm::SmallVector<int64_t> getStridesOrDefault();
  }];
}

def WL_PadOp : WL_DataOp<"pad"> {
  let summary = "pads a tensor with a constant";
  let description = [{
    Adds `low[d]` elements before and `high[d]` after dimension `d`, all
    equal to `value` (default 0; it must be integral for integer tensors).
    Data movement: zero FLOPs.

    ```mlir
    %p = wl.pad %x low = [0, 1] high = [0, 1] : tensor<4x8xf32> -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$input, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $input `low` `=` $low `high` `=` $high attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def WL_TransferOp : WL_ComputeOp<"transfer", [SameOperandsAndResultType]> {
  let summary = "moves a tensor from one device to another";
  let description = [{
    The value on device `to` equal to `input` on device `from`. Devices are
    named `<chip id>` or `<chip id>:<index>` (`h100:0`, `cpu-host`).
    Placement inserts transfers on every edge that crosses devices; the
    functional semantics is the identity. Data movement: zero FLOPs.

    ```mlir
    %y = wl.transfer %x from "h100:0" to "cpu-host" : tensor<8x1024xf32>
    ```
  }];
  let arguments = (ins WL_Tensor:$input, StrAttr:$from, StrAttr:$to);
  let results = (outs WL_Tensor:$result);
  let assemblyFormat = [{
    $input `from` $from `to` $to attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Opaque kernels
//===----------------------------------------------------------------------===//

def WL_OpaqueOp : WL_Op<"opaque", [
    IsolatedFromAbove, AffineScope, RecursiveMemoryEffects,
    SingleBlockImplicitTerminator<"YieldOp">,
    DeclareOpInterfaceMethods<WL_WorkloadCostInterface,
                              ["getBytesRead", "getBytesWritten"]>]> {
  let summary = "a kernel the importer could not raise into wl ops";
  let description = [{
    Wraps upstream ops (a `linalg.generic` whose body has no wl equivalent,
    a TOSA op without a pattern, ...) so they are still a named,
    placeable, costed kernel. `origin` names the wrapped op. The region
    takes the operands as block arguments and yields the results; it is
    isolated from above, and an affine scope (its arguments are valid
    affine symbols, as a function's are: loops a producer wrote with a
    position as a symbol stay valid once wrapped). Its work is counted from the wrapped ops:
    a linalg op counts its iteration-space size times the arithmetic ops
    of its body (arith and math ops other than constants, comparisons,
    selects and casts); a TOSA op one FLOP per result element; a loop its
    trip count times its body's work; plumbing (constants,
    `tensor.empty`) nothing. Bytes are the tensor operands and results,
    except for a kernel over buffers (`wl-wrap-buffer-code`'s), whose
    bytes are its loads, stores and copies, scaled by their loops' trip
    counts. `convert-wl-to-linalg` inlines
    the region, so an opaque kernel runs through the reference lowering.

    ```mlir
    %y = wl.opaque "linalg.generic" (%x) : (tensor<8xf32>) -> tensor<8xf32> {
    ^bb0(%a: tensor<8xf32>):
      %e = tensor.empty() : tensor<8xf32>
      %r = linalg.generic ... ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {...}
      wl.yield %r : tensor<8xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$inputs, StrAttr:$origin);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $origin `(` $inputs `)` attr-dict `:` functional-type($inputs, $results)
    $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes,
                   "::mlir::ValueRange":$inputs, "::llvm::StringRef":$origin)>
  ];
}

def WL_KernelOp : WL_Op<"kernel", [
    IsolatedFromAbove, AffineScope, RecursiveMemoryEffects,
    SingleBlockImplicitTerminator<"YieldOp">,
    DeclareOpInterfaceMethods<WL_WorkloadCostInterface,
                              ["getBytesRead", "getBytesWritten"]>]> {
  let summary = "a named group of wl ops that runs as one kernel";
  let description = [{
    The unit that is costed, placed and compiled: what `wl-outline-kernels`
    makes of a contraction or reduction (its anchor) and the elementwise
    and data-movement ops fused into it. `sym_name` names the kernel, unique
    within its function (tools address it as `<function>/<sym_name>`). The
    region takes the operands as block arguments and yields the results that
    are used outside; it is isolated from above, so a kernel can be compiled
    on its own, and an affine scope, as a function is.

    Work counts: FLOPs are the sum of the FLOPs of the ops in the body
    (fusion removes traffic, not arithmetic); bytes are only what crosses
    the kernel's boundary, its tensor operands and results, since fused
    intermediates stay on chip. The kind is the anchor's: contraction if the
    body has one, else reduction, else opaque, else elementwise, else
    data_movement. `convert-wl-to-linalg` inlines the body.

    ```mlir
    %y = wl.kernel "matmul_0" (%x, %w, %b)
        : (tensor<8x16xbf16>, tensor<16x32xbf16>, tensor<8x32xf32>)
          -> tensor<8x32xf32> {
    ^bb0(%a: tensor<8x16xbf16>, %c: tensor<16x32xbf16>, %d: tensor<8x32xf32>):
      %m = wl.matmul %a, %c : (tensor<8x16xbf16>, tensor<16x32xbf16>) -> tensor<8x32xf32>
      %s = wl.add %m, %d : (tensor<8x32xf32>, tensor<8x32xf32>) -> tensor<8x32xf32>
      %r = wl.relu %s : tensor<8x32xf32> -> tensor<8x32xf32>
      wl.yield %r : tensor<8x32xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$inputs, StrAttr:$sym_name);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `(` $inputs `)` attr-dict `:` functional-type($inputs, $results)
    $body
  }];
  let hasVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes,
                   "::mlir::ValueRange":$inputs, "::llvm::StringRef":$name)>
  ];
  let extraClassDeclaration = [{
    /// The op that gives the kernel its kind and its matrix work: the
    /// first contraction of the body, else its first reduction, else the
    /// first op with work; null for an empty body.
    ::mlir::Operation *getAnchor();
  }];
}

def WL_YieldOp : WL_Op<"yield", [Pure, Terminator, ReturnLike,
                                 ParentOneOf<["OpaqueOp", "KernelOp"]>]> {
  let summary = "returns the results of a wl.opaque or wl.kernel";
  let description = [{
    Terminates the region of `wl.opaque` and `wl.kernel`; its operands
    become the op's results.

    ```mlir
    wl.yield %r : tensor<8xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let builders = [OpBuilder<(ins), [{ /* nothing to yield */ }]>];
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // FUNGIBLE_DIALECTS_WORKLOAD_WORKLOADOPS_TD
