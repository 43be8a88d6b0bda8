// RUN: fungible-opt %s --wl-lower="target=a100-like target-specs=%S/Inputs/sm80.json" | FileCheck %s
// RUN: not fungible-opt %s --wl-lower="target=h100-like target-specs=%S/Inputs/bad-wgmma.json" 2>&1 | FileCheck %s --check-prefix=BAD-SHAPE
// RUN: not fungible-opt %s --wl-lower="target=h100-tma-like target-specs=%S/Inputs/bad-wgmma-tma.json" 2>&1 | FileCheck %s --check-prefix=BAD-TMA

// A user's own GPU spec (`target-specs`) picks the PTX target through its
// `sm_arch` param: 80 gives sm_80 (PTX 8.0), tensor cores included (the
// mma.sync kernel: wgmma is sm_90a's; one launch, the zero fill of C its
// zeroed accumulators).
// A spec whose wgmma_* params give the sm_90a GEMM a shape it cannot take
// (tile K 32 with the default 128-byte swizzled layouts) is refused with
// the reason, naming the spec.
// BAD-SHAPE: error: wl-lower: 'h100-like': params.wgmma_*: the sm_90a GEMM kernel cannot take its shape: the 128-byte swizzled layouts take tile K 64 and tile N a multiple of 64, not 32 and 256 (tile N 256: one of those chosen per matmul)
// So is one asking for TMA loads (wgmma_tma 1) into the interleaved
// layouts (wgmma_swizzle 0), which TMA does not write.
// BAD-TMA: error: wl-lower: 'h100-tma-like': params.wgmma_*: the sm_90a GEMM kernel cannot take its shape: the TMA loads take the 128-byte swizzled layouts (wgmma_swizzle 1) (tile N 256: one of those chosen per matmul)

// CHECK: gpu.binary @mm_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">
// CHECK-SAME: .target sm_80
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
func.func @mm(%a: tensor<64x64xbf16>, %b: tensor<64x64xbf16>) -> tensor<64x64xbf16> {
  %0 = wl.matmul %a, %b : (tensor<64x64xbf16>, tensor<64x64xbf16>) -> tensor<64x64xbf16>
  return %0 : tensor<64x64xbf16>
}
