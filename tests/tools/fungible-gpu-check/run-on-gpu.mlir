// REQUIRES: cuda-gpu
// On a machine with a GPU, the PTX of a ragged f32 matmul with a relu
// epilogue and of a row softmax runs for real (fungible-gpu-check replays
// each function's launch plan on device 0), and every output element is
// compared with a float64 loop over the very inputs the GPU read.
//
// RUN: rm -rf %t && mkdir -p %t/mm %t/softmax
// RUN: fungible-opt %s --wl-lower=target=h100 --mlir-print-op-generic -o %t/lowered.mlir
// RUN: %python %fungible_src_root/scripts/gpu-check/plan.py %t/lowered.mlir %t/plans
// RUN: fungible-gpu-check %t/plans/mm/plan.txt %t/mm --repeats 1
// RUN: fungible-gpu-check %t/plans/softmax/plan.txt %t/softmax --repeats 1
// RUN: %python %S/compare.py %t | FileCheck %s
// CHECK: mm: 1755 elements, 0 out of tolerance
// CHECK: softmax: 3000 elements, 0 out of tolerance

func.func @mm(%a: tensor<39x70xf32>, %b: tensor<70x45xf32>) -> tensor<39x45xf32> {
  %0 = wl.matmul %a, %b : (tensor<39x70xf32>, tensor<70x45xf32>) -> tensor<39x45xf32>
  %1 = wl.relu %0 : tensor<39x45xf32>
  return %1 : tensor<39x45xf32>
}

func.func @softmax(%x: tensor<30x100xf32>) -> tensor<30x100xf32> {
  %0 = wl.softmax %x axis = 1 : tensor<30x100xf32>
  return %0 : tensor<30x100xf32>
}
