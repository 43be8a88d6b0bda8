// The kernels scripts/gpu-check.sh runs on a GPU: every op kind the GPU
// lowering handles, at shapes that are not multiples of its tiles, plus the
// large bf16 matmul that is timed against cuBLAS. check.py holds each
// function's reference (PyTorch on the CPU in float64).

// f32 matmul (no tensor cores for f32), ragged in M, N and K.
func.func @mm_f32(%a: tensor<300x200xf32>, %b: tensor<200x333xf32>) -> tensor<300x333xf32> {
  %0 = wl.matmul %a, %b : (tensor<300x200xf32>, tensor<200x333xf32>) -> tensor<300x333xf32>
  return %0 : tensor<300x333xf32>
}

// bf16 on tensor cores (mma.sync), ragged edges, with a fused epilogue.
func.func @mm_bf16_relu(%a: tensor<257x129xbf16>, %b: tensor<129x300xbf16>) -> tensor<257x300xbf16> {
  %0 = wl.matmul %a, %b : (tensor<257x129xbf16>, tensor<129x300xbf16>) -> tensor<257x300xbf16>
  %1 = wl.relu %0 : tensor<257x300xbf16>
  return %1 : tensor<257x300xbf16>
}

// f16 on tensor cores, whole tiles.
func.func @mm_f16(%a: tensor<512x256xf16>, %b: tensor<256x384xf16>) -> tensor<512x384xf16> {
  %0 = wl.matmul %a, %b : (tensor<512x256xf16>, tensor<256x384xf16>) -> tensor<512x384xf16>
  return %0 : tensor<512x384xf16>
}

// Batch matmul in bf16.
func.func @bmm_bf16(%a: tensor<4x96x64xbf16>, %b: tensor<4x64x200xbf16>) -> tensor<4x96x200xbf16> {
  %0 = wl.batch_matmul %a, %b : (tensor<4x96x64xbf16>, tensor<4x64x200xbf16>) -> tensor<4x96x200xbf16>
  return %0 : tensor<4x96x200xbf16>
}

// Elementwise with a broadcast bias.
func.func @bias_relu(%x: tensor<1000x333xf32>, %bias: tensor<333xf32>) -> tensor<1000x333xf32> {
  %0 = wl.add %x, %bias : (tensor<1000x333xf32>, tensor<333xf32>) -> tensor<1000x333xf32>
  %1 = wl.relu %0 : tensor<1000x333xf32>
  return %1 : tensor<1000x333xf32>
}

// Reductions: a row softmax (max, exp, sum, divide).
func.func @softmax(%x: tensor<64x1000xf32>) -> tensor<64x1000xf32> {
  %0 = wl.softmax %x axis = 1 : tensor<64x1000xf32>
  return %0 : tensor<64x1000xf32>
}

// The large bf16 matmul timed against cuBLAS.
func.func @mm_bf16_4096(%a: tensor<4096x4096xbf16>, %b: tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16> {
  %0 = wl.matmul %a, %b : (tensor<4096x4096xbf16>, tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16>
  return %0 : tensor<4096x4096xbf16>
}
