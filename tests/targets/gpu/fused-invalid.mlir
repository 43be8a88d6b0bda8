// RUN: fungible-opt %s --split-input-file --fungible-gpu-map-linalg-to-grid -verify-diagnostics

// A tile loop over a dynamic extent: the grid size is not known.
func.func @dynamic_tiles(%m: memref<?xf32>, %n: index) {
  %cst = arith.constant 0.0 : f32
  // expected-error @+1 {{a tile loop without constant bounds cannot be mapped to the GPU grid}}
  scf.forall (%i) in (%n) {
    memref.store %cst, %m[%i] : memref<?xf32>
  }
  return
}

// -----

// A tile temporary of dynamic size cannot be given shared memory.
func.func @dynamic_temporary(%m: memref<8xf32>, %n: index) {
  %cst = arith.constant 0.0 : f32
  scf.forall (%i) in (2) {
    // expected-error @+1 {{a tile temporary without a static shape cannot be placed on the GPU}}
    %t = memref.alloc(%n) : memref<?xf32>
    linalg.fill ins(%cst : f32) outs(%t : memref<?xf32>)
  }
  return
}
