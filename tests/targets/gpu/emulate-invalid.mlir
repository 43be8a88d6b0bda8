// RUN: fungible-opt %s --split-input-file --fungible-gpu-emulate-launches -verify-diagnostics

// A barrier under control flow: some threads could skip it.
func.func @nested_barrier(%m: memref<4xf32>, %c: i1) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    // expected-error @+1 {{a barrier nested in control flow cannot be emulated}}
    scf.if %c {
      gpu.barrier
    }
    gpu.terminator
  }
  return
}

// -----

// A thread's value read after the barrier.
func.func @across_barrier(%m: memref<4xindex>) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c1, %sz = %c1) {
    %t = arith.addi %tx, %c1 : index
    gpu.barrier
    // expected-error @+1 {{a value computed per thread is used past a barrier; cannot emulate}}
    memref.store %t, %m[%tx] : memref<4xindex>
    gpu.terminator
  }
  return
}

// -----

func.func @two_d_block() {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  // expected-error @+1 {{only launches with constant 1-D CTAs can be emulated}}
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c4, %sy = %c4, %sz = %c1) {
    gpu.terminator
  }
  return
}
