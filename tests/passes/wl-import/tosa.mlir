// RUN: fungible-opt %s -wl-import -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @tosa_ops
// CHECK-SAME: (%[[A:.*]]: tensor<2x4x8xf32>, %[[B:.*]]: tensor<2x8x3xf32>, %[[C:.*]]: tensor<2x4x3xf32>)
// CHECK: %[[M:.*]] = wl.batch_matmul %[[A]], %[[B]] : (tensor<2x4x8xf32>, tensor<2x8x3xf32>) -> tensor<2x4x3xf32>
// CHECK: %[[S:.*]] = wl.add %[[M]], %[[C]]
// CHECK: %[[P:.*]] = wl.mul %[[S]], %[[C]]
// CHECK: %[[R:.*]] = wl.relu %[[P]] : tensor<2x4x3xf32>
// CHECK: %[[X:.*]] = wl.exp %[[R]]
// CHECK: %[[Q:.*]] = wl.div %{{.*}}, %[[X]] : (tensor<f32>, tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
// CHECK: %[[RS:.*]] = wl.reduce sum %[[Q]] dims = [2] {keep_dims} : tensor<2x4x3xf32> -> tensor<2x4x1xf32>
// CHECK: %[[T:.*]] = wl.transpose %[[RS]] perm = [1, 0, 2] : tensor<2x4x1xf32> -> tensor<4x2x1xf32>
// CHECK: wl.reshape %[[T]] : tensor<4x2x1xf32> -> tensor<8xf32>
// CHECK-NOT: tosa.
func.func @tosa_ops(%a: tensor<2x4x8xf32>, %b: tensor<2x8x3xf32>, %c: tensor<2x4x3xf32>) -> tensor<8xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %shift = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = tosa.matmul %a, %b, %zp, %zp : (tensor<2x4x8xf32>, tensor<2x8x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x4x3xf32>
  %s = tosa.add %m, %c : (tensor<2x4x3xf32>, tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %p = tosa.mul %s, %c, %shift : (tensor<2x4x3xf32>, tensor<2x4x3xf32>, tensor<1xi8>) -> tensor<2x4x3xf32>
  %r = tosa.clamp %p {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %x = tosa.exp %r : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %q = tosa.reciprocal %x : (tensor<2x4x3xf32>) -> tensor<2x4x3xf32>
  %rs = tosa.reduce_sum %q {axis = 2 : i32} : (tensor<2x4x3xf32>) -> tensor<2x4x1xf32>
  %t = tosa.transpose %rs {perms = array<i32: 1, 0, 2>} : (tensor<2x4x1xf32>) -> tensor<4x2x1xf32>
  %shape = tosa.const_shape {values = dense<8> : tensor<1xindex>} : () -> !tosa.shape<1>
  %f = tosa.reshape %t, %shape : (tensor<4x2x1xf32>, !tosa.shape<1>) -> tensor<8xf32>
  return %f : tensor<8xf32>
}

// -----

// A clamp that is not a relu becomes min(max(x, lo), hi); a float -> int
// cast stays TOSA (TOSA rounds to nearest, wl.cast truncates) in a kernel.
// CHECK-LABEL: func.func @clamp_cast
// CHECK: %[[LO:.*]] = wl.max %{{.*}}, %{{.*}} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
// CHECK: %[[HI:.*]] = wl.min %[[LO]], %{{.*}} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
// CHECK: wl.opaque "tosa.cast"(%[[HI]])
func.func @clamp_cast(%x: tensor<4xf32>) -> tensor<4xi32> {
  %c = tosa.clamp %x {min_val = -1.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
  %i = tosa.cast %c : (tensor<4xf32>) -> tensor<4xi32>
  return %i : tensor<4xi32>
}

// -----

// conv2d: OHWI weights -> HWCF, and the bias added.
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x6x6x3xf32>, %[[W:.*]]: tensor<4x3x3x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK: %[[WT:.*]] = wl.transpose %[[W]] perm = [1, 2, 3, 0] : tensor<4x3x3x3xf32> -> tensor<3x3x3x4xf32>
// CHECK: %[[C:.*]] = wl.conv2d %[[X]], %[[WT]] {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x6x6x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
// CHECK: wl.add %[[C]], %[[B]] : (tensor<1x6x6x4xf32>, tensor<4xf32>) -> tensor<1x6x6x4xf32>
func.func @conv(%x: tensor<1x6x6x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x6x6x4xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x6x6x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x4xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

// An i64 padding mask as the transformer subgraph prepares it (reshaped,
// cast to f32, then (1 - m) * -1e4): the cast takes the i64 input first
// and the reshape follows (then sinks past the subtraction), so that
// every op is a wl op (one kernel, not two opaque ones and a third).
// CHECK-LABEL: func.func @i64_mask
// CHECK-SAME: (%[[M:.*]]: tensor<1x40xi64>)
// CHECK: %[[F:.*]] = wl.cast %[[M]] : tensor<1x40xi64> -> tensor<1x40xf32>
// CHECK: %[[D:.*]] = wl.sub %{{.*}}, %[[F]] : (tensor<1x1xf32>, tensor<1x40xf32>) -> tensor<1x40xf32>
// CHECK: wl.reshape %[[D]] : tensor<1x40xf32> -> tensor<1x1x1x40xf32>
// CHECK-NOT: tosa.
// CHECK-NOT: wl.opaque
func.func @i64_mask(%m: tensor<1x40xi64>) -> tensor<1x1x1x40xf32> {
  %s = tosa.const_shape {values = dense<[1, 1, 1, 40]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %r = tosa.reshape %m, %s : (tensor<1x40xi64>, !tosa.shape<4>) -> tensor<1x1x1x40xi64>
  %f = tosa.cast %r : (tensor<1x1x1x40xi64>) -> tensor<1x1x1x40xf32>
  %one = "tosa.const"() <{values = dense<1.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %d = tosa.sub %one, %f : (tensor<1x1x1x1xf32>, tensor<1x1x1x40xf32>) -> tensor<1x1x1x40xf32>
  return %d : tensor<1x1x1x40xf32>
}

// -----

// An i64 tensor cast straight to a float type is a wl.cast; a cast of an
// i64 constant (RoPE's positions) folds to the float constant.
// CHECK-LABEL: func.func @i64_cast
// CHECK-SAME: (%[[M:.*]]: tensor<2x3xi64>)
// CHECK-DAG: %[[C:.*]] = arith.constant dense<{{\[}}[0.000000e+00, 1.000000e+00, 2.000000e+00], [-1.000000e+00, 4.000000e+00, 5.000000e+00]]> : tensor<2x3xf32>
// CHECK-DAG: %[[F:.*]] = wl.cast %[[M]] : tensor<2x3xi64> -> tensor<2x3xf32>
// CHECK: wl.add %[[F]], %[[C]]
// CHECK-NOT: tosa.
func.func @i64_cast(%m: tensor<2x3xi64>) -> tensor<2x3xf32> {
  %f = tosa.cast %m : (tensor<2x3xi64>) -> tensor<2x3xf32>
  %p = "tosa.const"() <{values = dense<[[0, 1, 2], [-1, 4, 5]]> : tensor<2x3xi64>}> : () -> tensor<2x3xi64>
  %g = tosa.cast %p : (tensor<2x3xi64>) -> tensor<2x3xf32>
  %s = tosa.add %f, %g : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %s : tensor<2x3xf32>
}

// -----

// An i64 reshape read by anything else than a cast stays TOSA.
// CHECK-LABEL: func.func @i64_reshape_kept
// CHECK: wl.opaque "tosa.reshape"
func.func @i64_reshape_kept(%m: tensor<1x40xi64>) -> tensor<40xi64> {
  %s = tosa.const_shape {values = dense<40> : tensor<1xindex>} : () -> !tosa.shape<1>
  %r = tosa.reshape %m, %s : (tensor<1x40xi64>, !tosa.shape<1>) -> tensor<40xi64>
  return %r : tensor<40xi64>
}
