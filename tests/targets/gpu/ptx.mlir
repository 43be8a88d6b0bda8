// RUN: fungible-opt %s --wl-lower=target=h100 | FileCheck %s --check-prefix=H100
// RUN: fungible-opt %s --wl-lower=target=b200 | FileCheck %s --check-prefix=B200

// The whole GPU pipeline: the host function keeps its buffers and launches
// the kernels; each kernel module is PTX text in a gpu.binary. A large bf16
// matmul runs on tensor cores: 4096/64 = 64 CTAs each way.

// H100-LABEL: func.func @gemm
// H100:       gpu.launch_func @gemm_kernel::@gemm_kernel blocks in (%{{.*}}, %{{.*}}, %{{.*}}) threads in (%{{.*}}, %{{.*}}, %{{.*}})
// H100:       gpu.launch_func @gemm_kernel_0::@gemm_kernel blocks in (%c64, %c64, %c1) threads in (%c128, %c1, %c1)
// H100-NOT:   gpu.module
// H100:       gpu.binary @gemm_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// H100-SAME:  .target sm_90
// H100:       gpu.binary @gemm_kernel_0 [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">
// H100-SAME:  .shared .align {{[0-9]+}} .b8 __wg_gemm_kernel_0[5120]
// H100-SAME:  ld.shared.b32
// H100-SAME:  mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
// H100-SAME:  bar.sync

// B200: gpu.binary @gemm_kernel_0 [#gpu.object<#nvvm.target<O = 3, chip = "sm_100", features = "+ptx86">
// B200-SAME: .version 8.6
// B200-SAME: .target sm_100
// B200-SAME: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
func.func @gemm(%a: tensor<4096x4096xbf16>, %b: tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16> {
  %0 = wl.matmul %a, %b : (tensor<4096x4096xbf16>, tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16>
  return %0 : tensor<4096x4096xbf16>
}
