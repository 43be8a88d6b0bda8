// RUN: fungible-opt %s --wl-lower=target=cpu-host | FileCheck %s

// The CPU target's lowering is the JIT's: everything ends in the LLVM
// dialect (matmuls vectorised on 4x64 register tiles), public functions
// with a C interface.
// CHECK-NOT: linalg.
// CHECK-NOT: wl.
// CHECK:     llvm.func @mm({{.*}} attributes {llvm.emit_c_interface}
// CHECK:     vector<64xf32>
// CHECK:     llvm.func @_mlir_ciface_mm
// CHECK-NOT: linalg.
func.func @mm(%a: tensor<64x32xf32>, %b: tensor<32x128xf32>) -> tensor<64x128xf32> {
  %0 = wl.matmul %a, %b : (tensor<64x32xf32>, tensor<32x128xf32>) -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}
