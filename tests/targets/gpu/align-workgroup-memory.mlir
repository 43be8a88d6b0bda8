// RUN: fungible-opt %s --pass-pipeline="builtin.module(gpu.module(fungible-gpu-align-workgroup-memory))" | FileCheck %s

// Every workgroup buffer of a kernel is aligned to 16 bytes (what a 16-byte
// cp.async and a wgmma descriptor address): one without an alignment, one
// with a smaller one, raised; a larger one is kept.
// CHECK-LABEL: gpu.func @k
// CHECK-SAME: workgroup(%{{.*}} : memref<4xbf16, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 16 : i64}, %{{.*}} : memref<2xf32, #gpu.address_space<workgroup>> {llvm.align = 128 : i64})
gpu.module @m {
  gpu.func @k() workgroup(%a : memref<4xbf16, #gpu.address_space<workgroup>>, %b : memref<8xf32, #gpu.address_space<workgroup>> {llvm.align = 4 : i64}, %c : memref<2xf32, #gpu.address_space<workgroup>> {llvm.align = 128 : i64}) kernel {
    gpu.return
  }
}
