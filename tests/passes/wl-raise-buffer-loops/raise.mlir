// RUN: fungible-opt %s -wl-import -wl-wrap-buffer-code -wl-raise-buffer-loops | FileCheck %s

// Each function's outputs after the import pipeline equal the upstream
// lowering of the file as written (make_harness.py prints the results,
// then the memref arguments after the call).
// RUN: rm -rf %t && mkdir -p %t
// RUN: for f in row_softmax strided column_walk prefix_sum; do \
// RUN:   %python %S/../../lib/make_harness.py %s $f > %t/$f.mlir && \
// RUN:   fungible-opt %t/$f.mlir %reference-lowering | %run-harness > %t/$f.ref && \
// RUN:   fungible-opt %t/$f.mlir -wl-import-and-outline -convert-wl-to-linalg %reference-lowering | %run-harness > %t/$f.out && \
// RUN:   %python %S/../../lib/compare_outputs.py %t/$f.ref %t/$f.out || exit 1; done | FileCheck %s --check-prefix=SAME
// SAME: compared 64 values, {{.*}}, 0 mismatches
// SAME: compared 36 values, max abs error 0, 0 mismatches
// SAME: compared 8 values, {{.*}}, 0 mismatches
// SAME: compared 32 values, max abs error 0, 0 mismatches

// A softmax written as loops (the row's maximum, the exponentials and
// their sum, the division) is split into two reductions and two
// elementwise passes, which the import fuses into one wl.softmax.
// CHECK-LABEL: @row_softmax(
// CHECK-SAME:      %[[X:.*]]: tensor<4x16xf32>)
// CHECK-NEXT:    %[[S:.*]] = wl.softmax %[[X]] axis = 1 : tensor<4x16xf32>
// CHECK-NEXT:    return %[[S]]
func.func @row_softmax(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %xb = bufferization.to_buffer %x : tensor<4x16xf32> to memref<4x16xf32>
  %out = memref.alloc() : memref<4x16xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %m = scf.for %j = %c0 to %c16 step %c1 iter_args(%acc = %ninf) -> (f32) {
      %v = memref.load %xb[%i, %j] : memref<4x16xf32>
      %n = arith.maximumf %acc, %v : f32
      scf.yield %n : f32
    }
    %s = scf.for %j = %c0 to %c16 step %c1 iter_args(%acc = %zero) -> (f32) {
      %v = memref.load %xb[%i, %j] : memref<4x16xf32>
      %d = arith.subf %v, %m : f32
      %e = math.exp %d : f32
      memref.store %e, %out[%i, %j] : memref<4x16xf32>
      %n = arith.addf %acc, %e : f32
      scf.yield %n : f32
    }
    scf.for %j = %c0 to %c16 step %c1 {
      %e = memref.load %out[%i, %j] : memref<4x16xf32>
      %y = arith.divf %e, %s : f32
      memref.store %y, %out[%i, %j] : memref<4x16xf32>
    }
  }
  %r = bufferization.to_tensor %out restrict : memref<4x16xf32> to tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// A strided read (affine maps: every other element from the second) into
// one row of a memref argument: a strided slice, the product, and the
// row put back into the argument's contents.
// CHECK-LABEL: @strided(
// CHECK-SAME:      %[[A:.*]]: tensor<20xf32>, %[[O:.*]]: memref<2x8xf32>)
// CHECK:         %[[IN:.*]] = bufferization.to_tensor %[[O]] restrict
// CHECK:         %[[SL:.*]] = wl.slice %[[A]] offsets = [1] {strides = array<i64: 2>} : tensor<20xf32> -> tensor<8xf32>
// CHECK:         %[[M:.*]] = wl.mul %[[SL]], %{{.*}} : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
// CHECK:         %[[NEW:.*]] = tensor.insert_slice %[[M]] into %[[IN]][1, 0] [1, 8] [1, 1] : tensor<8xf32> into tensor<2x8xf32>
// CHECK:         bufferization.materialize_in_destination %[[NEW]] in restrict writable %[[O]]
func.func @strided(%a: tensor<20xf32>, %o: memref<2x8xf32>) -> tensor<20xf32> {
  %three = arith.constant 3.0 : f32
  %ab = bufferization.to_buffer %a : tensor<20xf32> to memref<20xf32>
  affine.for %i = 0 to 8 {
    %v = affine.load %ab[2 * %i + 1] : memref<20xf32>
    %w = arith.mulf %v, %three : f32
    affine.store %w, %o[1, %i] : memref<2x8xf32>
  }
  return %a : tensor<20xf32>
}

// A matrix-vector product that walks the matrix's columns: a dot product
// per column, i.e. one row times the matrix, with no transpose.
// CHECK-LABEL: @column_walk(
// CHECK-SAME:      %[[W:.*]]: tensor<32x8xf32>, %[[XV:.*]]: tensor<32xf32>)
// CHECK-NEXT:    %[[R:.*]] = wl.reshape %[[XV]] : tensor<32xf32> -> tensor<1x32xf32>
// CHECK-NEXT:    %[[P:.*]] = wl.matmul %[[R]], %[[W]] : (tensor<1x32xf32>, tensor<32x8xf32>) -> tensor<1x8xf32>
// CHECK-NEXT:    %[[Y:.*]] = wl.reshape %[[P]] : tensor<1x8xf32> -> tensor<8xf32>
// CHECK-NEXT:    return %[[Y]]
func.func @column_walk(%w: tensor<32x8xf32>, %x: tensor<32xf32>) -> tensor<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  %wb = bufferization.to_buffer %w : tensor<32x8xf32> to memref<32x8xf32>
  %xb = bufferization.to_buffer %x : tensor<32xf32> to memref<32xf32>
  %y = memref.alloc() : memref<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %s = scf.for %j = %c0 to %c32 step %c1 iter_args(%acc = %zero) -> (f32) {
      %a = memref.load %wb[%j, %i] : memref<32x8xf32>
      %b = memref.load %xb[%j] : memref<32xf32>
      %p = arith.mulf %a, %b : f32
      %n = arith.addf %acc, %p : f32
      scf.yield %n : f32
    }
    memref.store %s, %y[%i] : memref<8xf32>
  }
  %r = bufferization.to_tensor %y restrict : memref<8xf32> to tensor<8xf32>
  return %r : tensor<8xf32>
}

// Kernels that stay as they are, opaque:
// a prefix sum: iteration i reads what iteration i - 1 wrote (buf[i - 1]
// and buf[i] share the loop, and their other parts differ by one step);
// CHECK-LABEL: @prefix_sum(
// CHECK:         wl.opaque "scf.for"
// CHECK:           scf.for
func.func @prefix_sum(%x: tensor<16xf32>, %buf: memref<16xf32>) -> tensor<16xf32> {
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %xb = bufferization.to_buffer %x : tensor<16xf32> to memref<16xf32>
  scf.for %i = %c1 to %c16 step %c1 {
    %p = arith.subi %i, %c1 : index
    %prev = memref.load %buf[%p] : memref<16xf32>
    %v = memref.load %xb[%i] : memref<16xf32>
    %s = arith.addf %prev, %v : f32
    memref.store %s, %buf[%i] : memref<16xf32>
  }
  return %x : tensor<16xf32>
}

// a store that each inner iteration overwrites (out[i] for every j: not
// one element per iteration);
// CHECK-LABEL: @overwrite(
// CHECK:         wl.opaque "affine.for"
func.func @overwrite(%a: tensor<4x8xf32>) -> tensor<4xf32> {
  %ab = bufferization.to_buffer %a : tensor<4x8xf32> to memref<4x8xf32>
  %o = memref.alloc() : memref<4xf32>
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 8 {
      %v = affine.load %ab[%i, %j] : memref<4x8xf32>
      affine.store %v, %o[%i] : memref<4xf32>
    }
  }
  %r = bufferization.to_tensor %o restrict : memref<4xf32> to tensor<4xf32>
  return %r : tensor<4xf32>
}

// a loop up to a position known only when it runs;
// CHECK-LABEL: @up_to_position(
// CHECK:         wl.opaque "scf.for"
func.func @up_to_position(%a: tensor<16xf32>, %pos: index) -> tensor<16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %o = memref.alloc() : memref<16xf32>
  %ab = bufferization.to_buffer %a : tensor<16xf32> to memref<16xf32>
  scf.for %i = %c0 to %pos step %c1 {
    %v = memref.load %ab[%i] : memref<16xf32>
    memref.store %v, %o[%i] : memref<16xf32>
  }
  %r = bufferization.to_tensor %o restrict : memref<16xf32> to tensor<16xf32>
  return %r : tensor<16xf32>
}

// and a branch in a loop.
// CHECK-LABEL: @branch(
// CHECK:         wl.opaque "affine.for"
// CHECK:           scf.if
func.func @branch(%a: tensor<16xf32>) -> tensor<16xf32> {
  %zero = arith.constant 0.0 : f32
  %o = memref.alloc() : memref<16xf32>
  %ab = bufferization.to_buffer %a : tensor<16xf32> to memref<16xf32>
  affine.for %i = 0 to 16 {
    %v = affine.load %ab[%i] : memref<16xf32>
    %neg = arith.cmpf olt, %v, %zero : f32
    scf.if %neg {
      affine.store %zero, %o[%i] : memref<16xf32>
    } else {
      affine.store %v, %o[%i] : memref<16xf32>
    }
  }
  %r = bufferization.to_tensor %o restrict : memref<16xf32> to tensor<16xf32>
  return %r : tensor<16xf32>
}
