// RUN: fungible-opt %s --wl-lower="target=a100-like target-specs=%S/Inputs/sm80.json" | FileCheck %s

// A user's own GPU spec (`target-specs`) picks the PTX target through its
// `sm_arch` param: 80 gives sm_80 (PTX 8.0), tensor cores included (the
// mma.sync kernel: wgmma is sm_90a's; one launch, the zero fill of C its
// zeroed accumulators).
// CHECK: gpu.binary @mm_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_80", features = "+ptx80">
// CHECK-SAME: .target sm_80
// CHECK-SAME: mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32
func.func @mm(%a: tensor<64x64xbf16>, %b: tensor<64x64xbf16>) -> tensor<64x64xbf16> {
  %0 = wl.matmul %a, %b : (tensor<64x64xbf16>, tensor<64x64xbf16>) -> tensor<64x64xbf16>
  return %0 : tensor<64x64xbf16>
}
