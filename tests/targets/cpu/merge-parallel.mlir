// fungible-cpu-merge-parallel-regions: consecutive omp.parallel ops with
// only allocations, deallocations and effect-free ops between them are one
// fork of the thread team (CpuMergeParallelRegions.cpp).
// RUN: fungible-opt %s --split-input-file --fungible-cpu-merge-parallel-regions | FileCheck %s

// In the CPU pipeline (Inputs/two-loops.mlir): an exp and a transpose of
// 2^17 elements each, one fork for both.
// RUN: fungible-opt %S/Inputs/two-loops.mlir --wl-import-and-outline --wl-lower=target=cpu-host | FileCheck %s --check-prefix=PIPELINE
// PIPELINE: llvm.call @malloc
// PIPELINE: llvm.call @malloc
// PIPELINE: omp.parallel {
// PIPELINE: omp.wsloop {
// PIPELINE: omp.wsloop {
// PIPELINE: omp.terminator
// PIPELINE-NOT: omp.parallel
// PIPELINE: llvm.func @_mlir_ciface_

// Two loops, a buffer allocated and an index computed between them, the
// temporary freed: the allocation and the index go above the one region,
// the deallocation below; the first loop's end is the barrier (no
// omp.barrier).
// CHECK-LABEL: func.func @two_loops
// CHECK: memref.alloc() : memref<512xf32>
// CHECK: memref.alloc() : memref<512xf32>
// CHECK: arith.muli
// CHECK: omp.parallel {
// CHECK: omp.wsloop {
// CHECK: arith.addf
// CHECK-NOT: omp.terminator
// CHECK-NOT: omp.barrier
// CHECK: omp.wsloop {
// CHECK: arith.mulf
// CHECK: omp.terminator
// CHECK-NOT: omp.parallel
// CHECK: memref.dealloc %{{.*}} : memref<512xf32>
// CHECK: return
func.func @two_loops(%a: memref<512xf32>, %n: index) -> memref<512xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c512 = arith.constant 512 : index
  %t = memref.alloc() : memref<512xf32>
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c512) step (%c1) {
        %x = memref.load %a[%i] : memref<512xf32>
        %y = arith.addf %x, %x : f32
        memref.store %y, %t[%i] : memref<512xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  %b = memref.alloc() : memref<512xf32>
  %m = arith.muli %n, %c1 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%m) step (%c1) {
        %x = memref.load %t[%i] : memref<512xf32>
        %y = arith.mulf %x, %x : f32
        memref.store %y, %b[%i] : memref<512xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  memref.dealloc %t : memref<512xf32>
  return %b : memref<512xf32>
}

// -----

// A loop on one thread between them (a small op's): two forks still.
// CHECK-LABEL: func.func @serial_between
// CHECK: omp.parallel
// CHECK: scf.for
// CHECK: omp.parallel
func.func @serial_between(%a: memref<512xf32>, %b: memref<512xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c512 = arith.constant 512 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c512) step (%c1) {
        %x = memref.load %a[%i] : memref<512xf32>
        memref.store %x, %b[%i] : memref<512xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  scf.for %i = %c0 to %c512 step %c1 {
    %x = memref.load %b[%i] : memref<512xf32>
    memref.store %x, %a[%i] : memref<512xf32>
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c512) step (%c1) {
        %x = memref.load %a[%i] : memref<512xf32>
        memref.store %x, %b[%i] : memref<512xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// A first loop that does not wait at its end (nowait): a barrier before
// the second. A region with a clause (a thread count) is left alone.
// CHECK-LABEL: func.func @nowait_then_clause
// CHECK: omp.parallel {
// CHECK: omp.wsloop nowait {
// CHECK: omp.barrier
// CHECK: omp.wsloop {
// CHECK: omp.terminator
// CHECK: omp.parallel num_threads
func.func @nowait_then_clause(%a: memref<512xf32>, %b: memref<512xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c512 = arith.constant 512 : index
  %two = arith.constant 2 : i32
  omp.parallel {
    omp.wsloop nowait {
      omp.loop_nest (%i) : index = (%c0) to (%c512) step (%c1) {
        %x = memref.load %a[%i] : memref<512xf32>
        memref.store %x, %b[%i] : memref<512xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c512) step (%c1) {
        %x = memref.load %b[%i] : memref<512xf32>
        memref.store %x, %a[%i] : memref<512xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel num_threads(%two : i32) {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c512) step (%c1) {
        %x = memref.load %a[%i] : memref<512xf32>
        memref.store %x, %b[%i] : memref<512xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}
