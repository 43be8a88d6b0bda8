// RUN: fungible-opt %s -wl-import -split-input-file | FileCheck %s

// Bias add + ReLU as torch-mlir writes them: a broadcast generic and a
// cmpf/select generic.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK-NEXT: %[[S:.*]] = wl.add %[[X]], %[[B]] : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: %[[R:.*]] = wl.relu %[[S]] : tensor<4x8xf32>
// CHECK-NEXT: return %[[R]]
func.func @bias_relu(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %c = arith.cmpf ugt, %in, %zero : f32
    %r = arith.select %c, %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// Batch norm over NCHW channels: the per-channel operands are reshaped to
// [1, C, 1, 1]; the f64 epsilon, truncated to f32, becomes a scalar. The
// variance's reshape sinks below its elementwise ops (Layout.h), so
// rsqrt(var + eps) is computed on the C values and reshaped once.
#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#chan = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x2x2xf32>, %[[MEAN:.*]]: tensor<4xf32>, %[[VAR:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[EPS:.*]] = arith.constant dense<9.99999974E-6> : tensor<f32>
// CHECK-DAG: %[[M:.*]] = wl.reshape %[[MEAN]] : tensor<4xf32> -> tensor<1x4x1x1xf32>
// CHECK: %[[C:.*]] = wl.sub %[[X]], %[[M]] : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
// CHECK: %[[VE:.*]] = wl.add %[[VAR]], %[[EPS]] : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
// CHECK: %[[RS:.*]] = wl.rsqrt %[[VE]] : tensor<4xf32>
// CHECK: %[[R:.*]] = wl.reshape %[[RS]] : tensor<4xf32> -> tensor<1x4x1x1xf32>
// CHECK: wl.mul %[[C]], %[[R]] : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
// CHECK-NOT: linalg.generic
func.func @batch_norm(%x: tensor<1x4x2x2xf32>, %mean: tensor<4xf32>, %var: tensor<4xf32>) -> tensor<1x4x2x2xf32> {
  %eps = arith.constant 1.000000e-05 : f64
  %0 = linalg.generic {indexing_maps = [#nchw, #chan, #chan, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %mean, %var : tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>) outs(%x : tensor<1x4x2x2xf32>) {
  ^bb0(%in: f32, %m: f32, %v: f32, %out: f32):
    %e = arith.truncf %eps : f64 to f32
    %ve = arith.addf %v, %e : f32
    %r = math.rsqrt %ve : f32
    %c = arith.subf %in, %m : f32
    %y = arith.mulf %c, %r : f32
    linalg.yield %y : f32
  } -> tensor<1x4x2x2xf32>
  return %0 : tensor<1x4x2x2xf32>
}

// -----

// A transposing copy and a broadcast, as torch-mlir emits for weights.
#t_in = affine_map<(d0, d1) -> (d1, d0)>
#t_out = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d0, 0)>
// (The reshapes that align %c to the loops cancel out when folded.)
// CHECK-LABEL: func.func @layout
// CHECK-SAME: (%[[W:.*]]: tensor<8x4xf32>, %[[C:.*]]: tensor<4x1xf32>)
// CHECK-NEXT: wl.transpose %[[W]] perm = [1, 0] : tensor<8x4xf32> -> tensor<4x8xf32>
// CHECK-NEXT: wl.broadcast %[[C]] : tensor<4x1xf32> -> tensor<4x8xf32>
func.func @layout(%w: tensor<8x4xf32>, %c: tensor<4x1xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#t_in, #t_out], iterator_types = ["parallel", "parallel"]}
      ins(%w : tensor<8x4xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<4x8xf32>
  %1 = linalg.generic {indexing_maps = [#col, #t_out], iterator_types = ["parallel", "parallel"]}
      ins(%c : tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// Bodies with no wl equivalent (erf) stay opaque, with the scalar
// constants they use cloned inside the kernel; the kernel is costed.
#id1 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @erf
// CHECK: %[[K:.*]] = wl.opaque "linalg.generic"(%{{.*}}) : (tensor<16xf32>) -> tensor<16xf32> {
// CHECK: arith.constant 5.000000e-01 : f32
// CHECK: math.erf
// CHECK: wl.yield
// CHECK: return %[[K]]
func.func @erf(%x: tensor<16xf32>) -> tensor<16xf32> {
  %half = arith.constant 0.5 : f32
  %e = tensor.empty() : tensor<16xf32>
  %0 = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = math.erf %in : f32
    %b = arith.mulf %a, %half : f32
    linalg.yield %b : f32
  } -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

// i64 tensors are not wl tensors: the op stays opaque.
#id2 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @int64
// CHECK: wl.opaque "linalg.generic"
// CHECK: arith.sitofp
func.func @int64(%x: tensor<4xi64>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %0 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel"]}
      ins(%x : tensor<4xi64>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: i64, %out: f32):
    %f = arith.sitofp %in : i64 to f32
    linalg.yield %f : f32
  } -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
