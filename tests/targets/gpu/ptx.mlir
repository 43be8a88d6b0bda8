// RUN: fungible-opt %s --wl-lower=target=h100 | FileCheck %s --check-prefix=H100
// RUN: fungible-opt %s --wl-lower=target=b200 | FileCheck %s --check-prefix=B200

// The whole GPU pipeline: the host function keeps its buffers and launches
// the kernels; each kernel module is PTX text in a gpu.binary. A large bf16
// matmul runs on tensor cores. On the H100 (sm_90a) it is the Hopper kernel
// (Wgmma.cpp) in its default shape: 128 x 256 tiles of C (a grid of
// 4096/256 = 16 by 4096/128 = 32 CTAs of 256 threads, two warpgroups: more
// than the spec's 132 SMs), K 64 a stage, 4 stages of A (128 x 64) and B
// (64 x 256) in dynamic shared memory: 4 x 49152 bytes and 1 KiB to align
// them to the swizzle pattern, 197632 bytes. cp.async fills them, four
// wgmma m64n256k16 per K tile with A K-major and B N-major (imm-trans-a 0,
// imm-trans-b 1), one K tile's wgmma still running while the next tile's
// copies start (wgmma.wait_group 1; the copies run two tiles ahead:
// cp.async.wait_group 1), the last waited for before the stores (0). The
// accumulators start from zero: the zero fill of C before the matmul is
// absorbed (no launch of its own, no read of C). The kernel takes its
// buffers and its K loop's trip count (4096/64 = 64; a loop bound stays a
// parameter, fungible-gpu-sink-constants): every other constant is sunk
// into it. On the B200 (sm_100, no wgmma) it is the mma.sync kernel: 64 x
// 64 tiles of 128 threads.

// H100-LABEL: func.func @gemm
// H100:       gpu.launch_func @gemm_kernel::@gemm_kernel blocks in (%c16, %c32, %c1) threads in (%c256, %c1, %c1) dynamic_shared_memory_size %c197632_i32 args(%arg0 : memref<4096x4096xbf16>, %arg1 : memref<4096x4096xbf16>, %c64 : index, %{{[a-z0-9_]+}} : memref<4096x4096xbf16>)
// H100-NOT:   gpu.launch_func
// H100-NOT:   gpu.module
// H100:       gpu.binary @gemm_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90a", features = "+ptx80">
// H100-SAME:  .target sm_90a
// H100-SAME:  .shared .align 16 .b8 __dynamic_shmem__0;
// H100-SAME:  cp.async.cg.shared.global [%rd{{[0-9]+}}], [%rd{{[0-9]+}}], 16;
// H100-SAME:  cp.async.commit_group;
// The loop's blocks are placed in either order: the wait, fence and
// barrier are one sequence, the wgmma steps another.
// H100-DAG:   cp.async.wait_group \091;\0A\09fence.proxy.async.shared::cta;\0A\09bar.sync
// H100-DAG:   wgmma.fence.sync.aligned;{{.*}}wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 {{{[^}]*}}}, %rd{{[0-9]+}}, %rd{{[0-9]+}}, p, 1, 1, 0, 1;{{.*}}wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 {{.*}}wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 {{.*}}wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 {{.*}}wgmma.commit_group.sync.aligned;\0A\09wgmma.wait_group.sync.aligned \091;
// H100:       wgmma.wait_group.sync.aligned 0;
// H100-NOT:   mma.sync

// B200: gpu.binary @gemm_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_100", features = "+ptx86">
// B200-SAME: .version 8.6
// B200-SAME: .target sm_100
// B200-SAME: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
func.func @gemm(%a: tensor<4096x4096xbf16>, %b: tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16> {
  %0 = wl.matmul %a, %b : (tensor<4096x4096xbf16>, tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16>
  return %0 : tensor<4096x4096xbf16>
}
