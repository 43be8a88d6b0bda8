// RUN: fungible-opt %s %lower-to-llvm | %run | FileCheck %s

// Numeric check of the arithmetic elementwise ops with numpy broadcasting,
// on floats and on integers.

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @main() {
  %x = arith.constant dense<[[-2.0, -1.0, 0.5], [1.0, 2.0, 4.0]]> : tensor<2x3xf32>
  %row = arith.constant dense<[10.0, 20.0, 30.0]> : tensor<3xf32>
  %col = arith.constant dense<[[2.0], [-1.0]]> : tensor<2x1xf32>

  %relu = wl.relu %x : tensor<2x3xf32>
  %u0 = tensor.cast %relu : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT: [0, 0, 0.5]
  // CHECK-NEXT: [1, 2, 4]
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()

  %neg = wl.neg %x : tensor<2x3xf32>
  %u1 = tensor.cast %neg : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: [2, 1, -0.5]
  // CHECK-NEXT: [-1, -2, -4]
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()

  // Row broadcast.
  %add = wl.add %x, %row : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %u2 = tensor.cast %add : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: [8, 19, 30.5]
  // CHECK-NEXT: [11, 22, 34]
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()

  // Column broadcast against row broadcast: an outer difference.
  %sub = wl.sub %col, %row : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %u3 = tensor.cast %sub : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: [-8, -18, -28]
  // CHECK-NEXT: [-11, -21, -31]
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()

  %mul = wl.mul %x, %col : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %u4 = tensor.cast %mul : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: [-4, -2, 1]
  // CHECK-NEXT: [-1, -2, -4]
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()

  %div = wl.div %x, %col : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %u5 = tensor.cast %div : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: [-1, -0.5, 0.25]
  // CHECK-NEXT: [-1, -2, -4]
  call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()

  %max = wl.max %x, %col : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %u6 = tensor.cast %max : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: [2, 2, 2]
  // CHECK-NEXT: [1, 2, 4]
  call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()

  %min = wl.min %x, %col : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %u7 = tensor.cast %min : tensor<2x3xf32> to tensor<*xf32>
  // CHECK: [-2, -1, 0.5]
  // CHECK-NEXT: [-1, -1, -1]
  call @printMemrefF32(%u7) : (tensor<*xf32>) -> ()

  // Integers: signed division truncates toward zero, relu and neg are exact.
  %i = arith.constant dense<[-7, 7, 9]> : tensor<3xi32>
  %two = arith.constant dense<2> : tensor<i32>
  %idiv = wl.div %i, %two : (tensor<3xi32>, tensor<i32>) -> tensor<3xi32>
  %u8 = tensor.cast %idiv : tensor<3xi32> to tensor<*xi32>
  // CHECK: [-3, 3, 4]
  call @printMemrefI32(%u8) : (tensor<*xi32>) -> ()
  %irelu = wl.relu %i : tensor<3xi32>
  %u9 = tensor.cast %irelu : tensor<3xi32> to tensor<*xi32>
  // CHECK: [0, 7, 9]
  call @printMemrefI32(%u9) : (tensor<*xi32>) -> ()
  %ineg = wl.neg %i : tensor<3xi32>
  %u10 = tensor.cast %ineg : tensor<3xi32> to tensor<*xi32>
  // CHECK: [7, -7, -9]
  call @printMemrefI32(%u10) : (tensor<*xi32>) -> ()
  return
}
