// RUN: fungible-opt %s -wl-import | FileCheck %s

// linalg.reduce, linalg.map, linalg.broadcast, linalg.transpose and
// linalg.copy raise through the same LinalgOp matching as generics.
// CHECK-LABEL: func.func @named
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[Y:.*]]: tensor<4x8xf32>, %[[V:.*]]: tensor<8xf32>)
// CHECK: %[[R:.*]] = wl.reduce max %[[X]] dims = [1] : tensor<4x8xf32> -> tensor<4xf32>
// CHECK: %[[M:.*]] = wl.mul %[[X]], %[[Y]] : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[B:.*]] = wl.broadcast %[[V]] : tensor<8xf32> -> tensor<3x8xf32>
// CHECK: %[[T:.*]] = wl.transpose %[[X]] perm = [1, 0] : tensor<4x8xf32> -> tensor<8x4xf32>
// CHECK: return %[[R]], %[[M]], %[[B]], %[[T]], %[[X]]
// CHECK-NOT: linalg.
func.func @named(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>, %v: tensor<8xf32>)
    -> (tensor<4xf32>, tensor<4x8xf32>, tensor<3x8xf32>, tensor<8x4xf32>, tensor<4x8xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %e4 = tensor.empty() : tensor<4xf32>
  %f4 = linalg.fill ins(%ninf : f32) outs(%e4 : tensor<4xf32>) -> tensor<4xf32>
  %r = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%f4 : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %m = arith.maximumf %in, %acc : f32
      linalg.yield %m : f32
    }
  %e48 = tensor.empty() : tensor<4x8xf32>
  %mul = linalg.map { arith.mulf } ins(%x, %y : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e48 : tensor<4x8xf32>)
  %e38 = tensor.empty() : tensor<3x8xf32>
  %b = linalg.broadcast ins(%v : tensor<8xf32>) outs(%e38 : tensor<3x8xf32>) dimensions = [0]
  %e84 = tensor.empty() : tensor<8x4xf32>
  %t = linalg.transpose ins(%x : tensor<4x8xf32>) outs(%e84 : tensor<8x4xf32>) permutation = [1, 0]
  %c = linalg.copy ins(%x : tensor<4x8xf32>) outs(%e48 : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r, %mul, %b, %t, %c : tensor<4xf32>, tensor<4x8xf32>, tensor<3x8xf32>, tensor<8x4xf32>, tensor<4x8xf32>
}
