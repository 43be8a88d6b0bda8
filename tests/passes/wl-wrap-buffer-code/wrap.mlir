// RUN: fungible-opt %s -wl-wrap-buffer-code | FileCheck %s
// The pass is idempotent: a second run finds kernels and bindings only.
// RUN: fungible-opt %s -wl-wrap-buffer-code | fungible-opt -wl-wrap-buffer-code | FileCheck %s

// A memref argument written by buffer code: its contents come in at the
// entry, the run works on a copy and yields the new contents, which go
// back to the caller before the return. Tensors the loops read come in as
// inputs; the index arithmetic between the loops does not break the run
// and is made again inside.
// CHECK-LABEL: func.func @cache_write(
// CHECK-SAME:      %[[X:.*]]: tensor<4x8xf32>, %[[CACHE:.*]]: memref<16x8xf32>)
// CHECK:         %[[IN:.*]] = bufferization.to_tensor %[[CACHE]] restrict : memref<16x8xf32> to tensor<16x8xf32>
// CHECK:         %[[NEW:.*]] = wl.opaque "scf.for+affine.for"(%[[X]], %[[IN]]) : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<16x8xf32> {
// CHECK-NEXT:    ^bb0(%[[XA:.*]]: tensor<4x8xf32>, %[[INA:.*]]: tensor<16x8xf32>):
// CHECK:           %[[RO:.*]] = bufferization.to_buffer %[[INA]] read_only
// CHECK-NEXT:      %[[COPY:.*]] = memref.alloc() : memref<16x8xf32>
// CHECK-NEXT:      memref.copy %[[RO]], %[[COPY]]
// CHECK:           scf.for
// CHECK:             tensor.extract %[[XA]]
// CHECK:             memref.store %{{.*}}, %[[COPY]][
// CHECK:           affine.for
// CHECK:             affine.load %[[COPY]]
// CHECK:             affine.store %{{.*}}, %[[COPY]]
// CHECK:           %[[OUT:.*]] = bufferization.to_tensor %[[COPY]] restrict
// CHECK-NEXT:      wl.yield %[[OUT]]
// CHECK:         bufferization.materialize_in_destination %[[NEW]] in restrict writable %[[CACHE]]
// CHECK-NEXT:    return
func.func @cache_write(%x: tensor<4x8xf32>, %cache: memref<16x8xf32>) -> tensor<4x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %v = tensor.extract %x[%i, %j] : tensor<4x8xf32>
      %row = arith.addi %i, %c4 : index
      memref.store %v, %cache[%row, %j] : memref<16x8xf32>
    }
  }
  %two = arith.muli %c1, %c1 : index
  affine.for %k = 0 to 16 step 2 {
    %v = affine.load %cache[%k, 0] : memref<16x8xf32>
    %e = math.exp %v : f32
    affine.store %e, %cache[%k, 1] : memref<16x8xf32>
  }
  %r = wl.relu %x : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// Two runs split by a kernel. A buffer allocated in the first is yielded
// (the second reads it). A view of the argument made before the first run
// is made again where it is used, in the second run, which writes the
// argument through it: the first run does not take the argument.
// CHECK-LABEL: func.func @across(
// CHECK-SAME:      %[[X:.*]]: tensor<8xf32>, %[[M:.*]]: memref<2x8xf32>)
// CHECK:         %[[IN:.*]] = bufferization.to_tensor %[[M]] restrict
// CHECK-NOT:     memref.subview
// CHECK:         %[[BUF:.*]] = wl.opaque "scf.for"(%[[X]]) : (tensor<8xf32>) -> tensor<2x8xf32> {
// CHECK:           %[[A:.*]] = memref.alloc() : memref<2x8xf32>
// CHECK:           %[[AT:.*]] = bufferization.to_tensor %[[A]] restrict
// CHECK-NEXT:      wl.yield %[[AT]]
// CHECK:         %[[R:.*]] = wl.relu %[[X]]
// CHECK:         %[[NEW:.*]] = wl.opaque "scf.for"(%[[R]], %[[BUF]], %[[IN]])
// CHECK:           %[[COPY:.*]] = memref.alloc() : memref<2x8xf32>
// CHECK:           %[[ROW:.*]] = memref.subview %[[COPY]][1, 0] [1, 8] [1, 1]
// CHECK:             memref.store %{{.*}}, %[[ROW]][
// CHECK:         bufferization.materialize_in_destination %[[NEW]] in restrict writable %[[M]]
func.func @across(%x: tensor<8xf32>, %m: memref<2x8xf32>) -> tensor<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %buf = memref.alloc() : memref<2x8xf32>
  %row = memref.subview %m[1, 0] [1, 8] [1, 1] : memref<2x8xf32> to memref<8xf32, strided<[1], offset: 8>>
  scf.for %i = %c0 to %c8 step %c1 {
    %v = tensor.extract %x[%i] : tensor<8xf32>
    memref.store %v, %buf[%c0, %i] : memref<2x8xf32>
  }
  %r = wl.relu %x : tensor<8xf32>
  scf.for %i = %c0 to %c8 step %c1 {
    %v = tensor.extract %r[%i] : tensor<8xf32>
    %w = memref.load %buf[%c0, %i] : memref<2x8xf32>
    %s = arith.addf %v, %w : f32
    memref.store %s, %row[%i] : memref<8xf32, strided<[1], offset: 8>>
  }
  return %r : tensor<8xf32>
}

// A tensor's buffer written to: the run writes a copy (tensors are
// values), and the to_tensor after it is the run's result.
// CHECK-LABEL: func.func @written_tensor(
// CHECK-SAME:      %[[X:.*]]: tensor<4xf32>)
// CHECK:         %[[T:.*]] = wl.opaque "memref.load+memref.store"(%[[X]])
// CHECK:           %[[RO:.*]] = bufferization.to_buffer %{{.*}} read_only
// CHECK-NEXT:      %[[COPY:.*]] = memref.alloc()
// CHECK-NEXT:      memref.copy %[[RO]], %[[COPY]]
// CHECK:           memref.store %{{.*}}, %[[COPY]]
// CHECK:           %[[OUT:.*]] = bufferization.to_tensor %[[COPY]] restrict
// CHECK-NEXT:      wl.yield %[[OUT]]
// CHECK:         wl.add %[[T]], %[[X]]
func.func @written_tensor(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2.0 : f32
  %b = bufferization.to_buffer %x : tensor<4xf32> to memref<4xf32>
  %v = memref.load %b[%c0] : memref<4xf32>
  %w = arith.mulf %v, %c2 : f32
  memref.store %w, %b[%c0] : memref<4xf32>
  %t = bufferization.to_tensor %b : memref<4xf32> to tensor<4xf32>
  %r = wl.add %t, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// An argument taken as a tensor before anything writes it, and a tensor
// written into an argument that nothing touches after: bindings of the
// arguments' contents, not buffer code.
// CHECK-LABEL: func.func @bindings(
// CHECK-NOT:     wl.opaque
// CHECK:         bufferization.to_tensor
// CHECK-NEXT:    wl.relu
// CHECK-NEXT:    bufferization.materialize_in_destination
// CHECK-NEXT:    return
func.func @bindings(%in: memref<4xf32>, %out: memref<4xf32>) -> tensor<4xf32> {
  %t = bufferization.to_tensor %in restrict : memref<4xf32> to tensor<4xf32>
  %r = wl.relu %t : tensor<4xf32>
  bufferization.materialize_in_destination %r in restrict writable %out : (tensor<4xf32>, memref<4xf32>) -> ()
  return %r : tensor<4xf32>
}

// A stack buffer whose contents outlive the run becomes an alloc; a copy
// into the argument writes it; a dealloc ends a buffer's life (the kernel
// frees what it allocates).
// CHECK-LABEL: func.func @scratch(
// CHECK:         %[[R:.*]]:2 = wl.opaque "scf.for+memref.copy"
// CHECK-NOT:       memref.alloca
// CHECK-NOT:       memref.dealloc
// CHECK:           wl.yield %{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32>
// CHECK:         wl.relu %[[R]]#0
// CHECK:         bufferization.materialize_in_destination %[[R]]#1
func.func @scratch(%x: tensor<4xf32>, %m: memref<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %s = memref.alloca() : memref<4xf32>
  %d = memref.alloc() : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = tensor.extract %x[%i] : tensor<4xf32>
    memref.store %v, %s[%i] : memref<4xf32>
    memref.store %v, %d[%i] : memref<4xf32>
  }
  memref.copy %s, %m : memref<4xf32> to memref<4xf32>
  memref.dealloc %d : memref<4xf32>
  %t = bufferization.to_tensor %s restrict : memref<4xf32> to tensor<4xf32>
  %r = wl.relu %t : tensor<4xf32>
  return %r : tensor<4xf32>
}

// No buffer code: nothing changes.
// CHECK-LABEL: func.func @none(
// CHECK-NEXT:    wl.relu
// CHECK-NEXT:    return
func.func @none(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = wl.relu %x : tensor<4xf32>
  return %r : tensor<4xf32>
}

// Pure scalar code between a run's ops that reads what the run made (an
// element of a buffer taken as a tensor) is made again inside the run, and
// follows the kernel for the code after it, which reads the kernel's
// result.
// CHECK-LABEL: func.func @read_between(
// CHECK:         %[[K:.*]]:2 = wl.opaque "memref.store"
// CHECK:           %[[T:.*]] = bufferization.to_tensor %[[A:.*]] restrict
// CHECK:           %[[E:.*]] = tensor.extract %[[T]]
// CHECK:           memref.store %[[E]]
// CHECK:           wl.yield %[[T]], %{{.*}} : tensor<4xf32>, tensor<4xf32>
// CHECK:         %[[V:.*]] = tensor.extract %[[K]]#0
// CHECK-NEXT:    tensor.splat %[[V]]
// CHECK:         bufferization.materialize_in_destination %[[K]]#1
func.func @read_between(%m: memref<4xf32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %f = arith.constant 2.0 : f32
  %b = memref.alloc() : memref<4xf32>
  memref.store %f, %b[%c0] : memref<4xf32>
  %t = bufferization.to_tensor %b restrict : memref<4xf32> to tensor<4xf32>
  %v = tensor.extract %t[%c0] : tensor<4xf32>
  memref.store %v, %m[%c0] : memref<4xf32>
  %s = tensor.splat %v : tensor<4xf32>
  %r = wl.add %x, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
