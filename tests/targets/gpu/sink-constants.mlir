// RUN: fungible-opt %s --fungible-gpu-sink-constants | FileCheck %s

// Constants a launch uses move into it (immediates in the kernel, not
// parameters); a loop's constant upper bound stays outside as a copy of
// its own, so the trip count is not known to LLVM's unroller. The same
// constant (%c64) used as a divisor inside and as a bound: the divisor is
// sunk, the bound is the outside copy.
// CHECK-LABEL: func.func @launch
// CHECK:       %[[BOUND:.*]] = arith.constant {fungible.trip_count} 64 : index
// CHECK:       gpu.launch
// CHECK-DAG:     %[[C64:.*]] = arith.constant 64 : index
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[Q:.*]] = arith.divui %{{.*}}, %[[C64]] : index
// CHECK:         scf.for %{{.*}} = %{{.*}} to %[[BOUND]] step %{{.*}}
// CHECK:           memref.store %[[ZERO]], %arg0
func.func @launch(%buf: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c64, %sy = %c1, %sz = %c1) {
    %row = arith.divui %tx, %c64 : index
    scf.for %j = %c0 to %c64 step %c1 {
      memref.store %zero, %buf[%row, %j] : memref<64x64xf32>
    }
    gpu.terminator
  }
  return
}
