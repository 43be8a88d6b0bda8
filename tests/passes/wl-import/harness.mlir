// RUN: fungible-opt %s -wl-import -wl-import-report -o - | FileCheck %s

// A file with a harness next to the workload (a @main on memrefs, calls to
// a runtime): the tensor-level workload is raised, the harness is left
// alone and reported.

// CHECK-LABEL: wl-import report for @workload
// CHECK-NEXT: raised:     1 ops, 128 FLOPs (wl.matmul 1)
// CHECK-LABEL: wl-import report for @main
// CHECK-NEXT: raised:     0 ops, 0 FLOPs ()
// CHECK-NEXT: opaque:     0 kernels, 0 FLOPs ()
// CHECK-NEXT: left as is: 1 ops, 0 FLOPs (linalg.copy 1)

// CHECK-LABEL: func.func @workload
// CHECK: wl.matmul
// CHECK-LABEL: func.func @main
// CHECK: call @rtclock
// CHECK: linalg.copy ins(%{{.*}} : memref<4x4xf32>) outs(%{{.*}} : memref<4x4xf32>)
// CHECK: call @record

func.func private @rtclock() -> f64
func.func private @record(f64)

func.func @workload(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %c = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x4xf32>) outs(%f : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %c : tensor<4x4xf32>
}

func.func @main(%src: memref<4x4xf32>, %dst: memref<4x4xf32>) {
  %t0 = call @rtclock() : () -> f64
  linalg.copy ins(%src : memref<4x4xf32>) outs(%dst : memref<4x4xf32>)
  call @record(%t0) : (f64) -> ()
  return
}
