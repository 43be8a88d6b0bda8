// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// The structure of examples/workloads/gpt2_block.mlir at S = 4, D = 4,
// 2 heads of 2, F = 8, with weights chosen so the result is known exactly:
// W_qkv = 0, so every row of q, k, v is its bias and attention (uniform over
// identical keys) returns v's bias b_v = [10, 20, 30, 40]; W_proj = I;
// b_fc = 0 so gelu gives 0 and the MLP returns b_out. Hence
//   out = x + b_v + b_proj + b_out = x + [110.5, 220.5, 330.5, 440.5].
// This exercises the whole chain: layer norms, the qkv slices, the head
// reshapes and transposes, causal attention, residuals.

func.func private @printMemrefF32(tensor<*xf32>)

func.func @block(%x: tensor<4x4xf32>, %g: tensor<4xf32>, %b: tensor<4xf32>,
                 %w_qkv: tensor<4x12xf32>, %b_qkv: tensor<12xf32>,
                 %w_proj: tensor<4x4xf32>, %b_proj: tensor<4xf32>,
                 %w_fc: tensor<4x8xf32>, %b_fc: tensor<8xf32>,
                 %w_out: tensor<8x4xf32>, %b_out: tensor<4xf32>) -> tensor<4x4xf32> {
  %h = wl.layer_norm %x, %g, %b : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %qkv0 = wl.matmul %h, %w_qkv : (tensor<4x4xf32>, tensor<4x12xf32>) -> tensor<4x12xf32>
  %qkv = wl.add %qkv0, %b_qkv : (tensor<4x12xf32>, tensor<12xf32>) -> tensor<4x12xf32>
  %q2 = wl.slice %qkv offsets = [0, 0] : tensor<4x12xf32> -> tensor<4x4xf32>
  %k2 = wl.slice %qkv offsets = [0, 4] : tensor<4x12xf32> -> tensor<4x4xf32>
  %v2 = wl.slice %qkv offsets = [0, 8] : tensor<4x12xf32> -> tensor<4x4xf32>
  %q3 = wl.reshape %q2 : tensor<4x4xf32> -> tensor<4x2x2xf32>
  %k3 = wl.reshape %k2 : tensor<4x4xf32> -> tensor<4x2x2xf32>
  %v3 = wl.reshape %v2 : tensor<4x4xf32> -> tensor<4x2x2xf32>
  %q = wl.transpose %q3 perm = [1, 0, 2] : tensor<4x2x2xf32> -> tensor<2x4x2xf32>
  %k = wl.transpose %k3 perm = [1, 0, 2] : tensor<4x2x2xf32> -> tensor<2x4x2xf32>
  %v = wl.transpose %v3 perm = [1, 0, 2] : tensor<4x2x2xf32> -> tensor<2x4x2xf32>
  %a = wl.attention %q, %k, %v {causal} : (tensor<2x4x2xf32>, tensor<2x4x2xf32>, tensor<2x4x2xf32>) -> tensor<2x4x2xf32>
  %a3 = wl.transpose %a perm = [1, 0, 2] : tensor<2x4x2xf32> -> tensor<4x2x2xf32>
  %a2 = wl.reshape %a3 : tensor<4x2x2xf32> -> tensor<4x4xf32>
  %p0 = wl.matmul %a2, %w_proj : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %p = wl.add %p0, %b_proj : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %r1 = wl.add %x, %p : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  %h2 = wl.layer_norm %r1, %g, %b : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %f0 = wl.matmul %h2, %w_fc : (tensor<4x4xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %f1 = wl.add %f0, %b_fc : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %f = wl.gelu %f1 {approximate} : tensor<4x8xf32>
  %o0 = wl.matmul %f, %w_out : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
  %o = wl.add %o0, %b_out : (tensor<4x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %r2 = wl.add %r1, %o : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r2 : tensor<4x4xf32>
}

func.func @main() {
  %x = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0], [-1.0, 1.0, -1.0, 1.0], [2.0, 2.0, 2.0, 2.0]]> : tensor<4x4xf32>
  %g = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %b = arith.constant dense<[0.5, -0.5, 0.25, 0.0]> : tensor<4xf32>
  %w_qkv = arith.constant dense<0.0> : tensor<4x12xf32>
  %b_qkv = arith.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 20.0, 30.0, 40.0]> : tensor<12xf32>
  %w_proj = arith.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]]> : tensor<4x4xf32>
  %b_proj = arith.constant dense<0.5> : tensor<4xf32>
  %w_fc = arith.constant dense<0.0> : tensor<4x8xf32>
  %b_fc = arith.constant dense<0.0> : tensor<8xf32>
  %w_out = arith.constant dense<1.0> : tensor<8x4xf32>
  %b_out = arith.constant dense<[100.0, 200.0, 300.0, 400.0]> : tensor<4xf32>
  %y = call @block(%x, %g, %b, %w_qkv, %b_qkv, %w_proj, %b_proj, %w_fc, %b_fc, %w_out, %b_out)
      : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x12xf32>, tensor<12xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4x8xf32>, tensor<8xf32>, tensor<8x4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %u = tensor.cast %y : tensor<4x4xf32> to tensor<*xf32>
  // CHECK: sizes = [4, 4]
  // CHECK-NEXT: [111.5, 222.5, 333.5, 444.5]
  // CHECK-NEXT: [110.5, 220.5, 330.5, 440.5]
  // CHECK-NEXT: [109.5, 221.5, 329.5, 441.5]
  // CHECK-NEXT: [112.5, 222.5, 332.5, 442.5]
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
