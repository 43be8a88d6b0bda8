// RUN: fungible-opt %s -wl-wrap-buffer-code -split-input-file -verify-diagnostics

func.func @dynamic(%m: memref<?xf32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %v = tensor.extract %x[%c0] : tensor<4xf32>
  // expected-error @+1 {{not supported: buffer code over 'memref<?xf32>' (buffers must have a static shape, the identity layout and the default memory space)}}
  memref.store %v, %m[%c0] : memref<?xf32>
  return %x : tensor<4xf32>
}

// -----

func.func @strided(%m: memref<4xf32, strided<[2]>>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %v = tensor.extract %x[%c0] : tensor<4xf32>
  // expected-error @+1 {{not supported: buffer code over 'memref<4xf32, strided<[2]>>'}}
  memref.store %v, %m[%c0] : memref<4xf32, strided<[2]>>
  return %x : tensor<4xf32>
}

// -----

func.func @returns_buffer(%m: memref<4xf32>, %x: tensor<4xf32>) -> memref<4xf32> {
  %c0 = arith.constant 0 : index
  %v = tensor.extract %x[%c0] : tensor<4xf32>
  memref.store %v, %m[%c0] : memref<4xf32>
  // expected-error @+1 {{not supported: returning a buffer ('memref<4xf32>') from a function with buffer code}}
  return %m : memref<4xf32>
}

// -----

// A function without buffer code may return a buffer (it is not run).
func.func @no_buffer_code(%m: memref<4xf32>) -> memref<4xf32> {
  return %m : memref<4xf32>
}

// -----

// A scalar loaded by one run and used by code after a kernel: a kernel's
// results are tensors.
func.func @scalar_escapes(%m: memref<4xf32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{not supported: a scalar computed by buffer code used by another kernel}}
  %v = memref.load %m[%c0] : memref<4xf32>
  %r = wl.relu %x : tensor<4xf32>
  %s = tensor.splat %v : tensor<4xf32>
  %t = wl.add %r, %s : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %t : tensor<4xf32>
}

// -----

// A mutable global is state the kernel would not share.
memref.global "private" @state : memref<4xf32> = dense<0.0>
func.func @mutable_global(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %v = tensor.extract %x[%c0] : tensor<4xf32>
  // expected-error @+1 {{not supported: buffer code over the global @state (only constant globals with an initial value are taken, as constants)}}
  %g = memref.get_global @state : memref<4xf32>
  memref.store %v, %g[%c0] : memref<4xf32>
  return %x : tensor<4xf32>
}
