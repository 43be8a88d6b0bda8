// What the GPU cost model prices is what the GPU lowering launches: for
// each CUDA-core contraction the model's CTAs (GpuSchedule.h, in
// fungible-cost's gpu_work) are the grid of the kernel wl-compile emits.
// Worked out by hand from GpuFusion's tile rule (the kernel's result tiled
// over its last two dimensions, 64 at most, the widest halved while there
// are fewer than 264 tiles of at least 128 points):
//  - matmul_0: 256 x 512 in 64 x 64 tiles is 32; halved to 16 x 16: 512
//    CTAs. Each computes 16 x 16 outputs, 2x1 a thread (blockShape), over
//    K = 128: 128 steps.
//  - conv2d_1: the NCHW result 64 x 28 x 28 in 28 x 28 tiles is 64;
//    halved to 14 x 14 (196 points; 7 x 14 would hold 98): 256 CTAs. A
//    CTA computes 196 pixels of one filter (the transpose traced back to
//    the convolution), one a thread in 2 rounds over 32 channels: 64
//    steps.
//  - conv2d_2: a depthwise 3x3 of stride 2, 8 x 8 x 96: 8 x 48 tiles
//    make 16, the channels halved to 24: 32 CTAs of 8 pixels x 24
//    channels, one output a thread in 2 rounds of 9 taps: 18 steps.
//  - attention_3: 4 heads of 256 tokens, 64 columns. An attention's tile
//    takes the head's columns whole and 64 queries: 16 tiles; halved,
//    the wider first (the columns of equals), to 16 queries x 8 columns:
//    512 CTAs of 128 points. A CTA's scores: 16 x 256 in 8x4 blocks, one
//    round over the head's 64 steps; its values: 16 x 8, one output a
//    thread, over the 256 keys: 64 + 256 = 320 steps.
//  - matmul_4: a matrix-vector product, 1 x 4096 over K = 1024: K in
//    128 lanes of 8 steps, so a tile of one output has a thread for each
//    partial sum; 1 x 64 tiles halve to 1 x 8 (512 CTAs). A CTA's 8 x 128
//    partial sums take 8 rounds of 8 steps, then 8 threads combine an
//    output's 128 lanes: 64 + 128 = 192 steps.
//  - conv2d_5: a squeeze-excitation's 1152 -> 48 (a 1x1 filter on one
//    pixel) and its SiLU: a matrix-vector product (the lowering runs it
//    as the matmul of the pixel and the filter): K in 128 lanes of 9
//    steps, tiles of one output, 48 CTAs; one thread combines the 128
//    lanes: 9 + 128 = 137 steps.
//  - matmul_6: a matmul accumulating into its bias ([1, 512] reshaped and
//    broadcast, as mlp_1layer's import gives) and its ReLU. The fusion
//    moves the reshape into the kernel's loops ([128, 1, 512]); the unit
//    loop tiles nothing, so the tile is on 128 x 512 as the model's: 64 x
//    64 is 16 tiles, halved (the wider first) to 16 x 8: 512 CTAs of 128
//    points, one output a thread over K = 256: 256 steps. (Tiling the
//    unit loop and the last gave 1 x 64 tiles shrunk to 1024 CTAs.)
// The estimate's explanation says so.
//
// RUN: fungible-cost %s --targets=h200 --format=json | FileCheck %s --check-prefix=MODEL
// RUN: fungible-opt %s --wl-import-and-outline --wl-compile=targets=h200 | FileCheck %s --check-prefix=CODE
// RUN: fungible-cost %s --targets=h200 --explain=f/conv2d_1 | FileCheck %s --check-prefix=EXPLAIN
// RUN: fungible-cost %s --targets=h200 --explain=f/attention_3 | FileCheck %s --check-prefix=ATTENTION
// RUN: fungible-cost %s --targets=h200 --explain=f/matmul_4 | FileCheck %s --check-prefix=GEMV
// RUN: fungible-cost %s --targets=h200 --explain=f/conv2d_5 | FileCheck %s --check-prefix=SE

// MODEL: "name": "f/matmul_0"
// MODEL: "serial_steps": 128,
// MODEL-NEXT: "launches": 1,
// MODEL-NEXT: "ctas": 512
// MODEL: "name": "f/conv2d_1"
// MODEL: "serial_steps": 64,
// MODEL-NEXT: "launches": 1,
// MODEL-NEXT: "ctas": 256
// MODEL: "name": "f/conv2d_2"
// MODEL: "serial_steps": 18,
// MODEL-NEXT: "launches": 1,
// MODEL-NEXT: "ctas": 32
// MODEL: "name": "f/attention_3"
// MODEL: "serial_steps": 320,
// MODEL-NEXT: "launches": 1,
// MODEL-NEXT: "ctas": 512
// MODEL: "name": "f/matmul_4"
// MODEL: "serial_steps": 192,
// MODEL-NEXT: "launches": 1,
// MODEL-NEXT: "ctas": 512
// MODEL: "name": "f/conv2d_5"
// MODEL: "serial_steps": 137,
// MODEL-NEXT: "launches": 1,
// MODEL-NEXT: "ctas": 48
// MODEL: "name": "f/matmul_6"
// MODEL: "serial_steps": 256,
// MODEL-NEXT: "launches": 1,
// MODEL-NEXT: "ctas": 512

// CODE: gpu.launch_func @matmul_0_kernel::@matmul_0_kernel blocks in (%c512, %c1, %c1) threads in (%c128, %c1, %c1)
// CODE: gpu.launch_func @conv2d_1_kernel::@conv2d_1_kernel blocks in (%c256, %c1, %c1) threads in (%c128, %c1, %c1)
// CODE: gpu.launch_func @conv2d_2_kernel::@conv2d_2_kernel blocks in (%c32, %c1, %c1) threads in (%c128, %c1, %c1)
// CODE: gpu.launch_func @attention_3_kernel::@attention_3_kernel blocks in (%c512, %c1, %c1) threads in (%c128, %c1, %c1)
// CODE: gpu.launch_func @matmul_4_kernel::@matmul_4_kernel blocks in (%c512, %c1, %c1) threads in (%c128, %c1, %c1)
// CODE: gpu.launch_func @conv2d_5_kernel::@conv2d_5_kernel blocks in (%c48, %c1, %c1) threads in (%c128, %c1, %c1)
// CODE: gpu.launch_func @matmul_6_kernel::@matmul_6_kernel blocks in (%c512, %c1, %c1) threads in (%c128, %c1, %c1)

// EXPLAIN: wl.conv2d on the CUDA cores: 256 CTAs of 128 threads with work, 1x1 outputs a thread, 64 steps a thread in 1 waves;
// GEMV: wl.matmul on the CUDA cores: 512 CTAs of 128 threads with work, 1x1 outputs a thread, K in 128 lanes of partial sums, 192 steps a thread in 1 waves;
// SE: wl.conv2d on the CUDA cores: 48 CTAs of 128 threads with work, 1x1 outputs a thread, K in 128 lanes of partial sums, 137 steps a thread in 1 waves;
// ATTENTION: wl.attention on the CUDA cores: 512 CTAs of 16 queries x 8 head columns; scores 8x4 a thread over 64 steps, values 1x1 over 256 steps, in 1 waves;

func.func @f(%a: tensor<256x128xf32>, %b: tensor<128x512xf32>, %bias: tensor<512xf32>,
             %x: tensor<1x28x28x32xf32>, %w: tensor<1x1x32x64xf32>,
             %d: tensor<1x16x16x96xf32>, %dw: tensor<3x3x1x96xf32>,
             %q: tensor<4x256x64xf32>, %k: tensor<4x256x64xf32>, %v: tensor<4x256x64xf32>,
             %x1: tensor<1x1024xf32>, %w1: tensor<1024x4096xf32>,
             %x2: tensor<1x1x1x1152xf32>, %w2: tensor<1x1x1152x48xf32>,
             %x3: tensor<128x256xf32>, %w3: tensor<256x512xf32>, %b3: tensor<1x512xf32>)
    -> (tensor<256x512xf32>, tensor<1x64x28x28xf32>, tensor<1x8x8x96xf32>, tensor<4x256x64xf32>, tensor<1x4096xf32>, tensor<1x1x1x48xf32>, tensor<128x512xf32>) {
  %0 = wl.matmul %a, %b : (tensor<256x128xf32>, tensor<128x512xf32>) -> tensor<256x512xf32>
  %1 = wl.add %0, %bias : (tensor<256x512xf32>, tensor<512xf32>) -> tensor<256x512xf32>
  %2 = wl.relu %1 : tensor<256x512xf32>
  %3 = wl.conv2d %x, %w : (tensor<1x28x28x32xf32>, tensor<1x1x32x64xf32>) -> tensor<1x28x28x64xf32>
  %4 = wl.relu %3 : tensor<1x28x28x64xf32>
  %5 = wl.transpose %4 perm = [0, 3, 1, 2] : tensor<1x28x28x64xf32> -> tensor<1x64x28x28xf32>
  %6 = wl.conv2d %d, %dw {groups = 96 : i64, padding = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 2>} : (tensor<1x16x16x96xf32>, tensor<3x3x1x96xf32>) -> tensor<1x8x8x96xf32>
  %7 = wl.attention %q, %k, %v {causal} : (tensor<4x256x64xf32>, tensor<4x256x64xf32>, tensor<4x256x64xf32>) -> tensor<4x256x64xf32>
  %8 = wl.matmul %x1, %w1 : (tensor<1x1024xf32>, tensor<1024x4096xf32>) -> tensor<1x4096xf32>
  %9 = wl.conv2d %x2, %w2 : (tensor<1x1x1x1152xf32>, tensor<1x1x1152x48xf32>) -> tensor<1x1x1x48xf32>
  %10 = wl.sigmoid %9 : tensor<1x1x1x48xf32>
  %11 = wl.mul %10, %9 : (tensor<1x1x1x48xf32>, tensor<1x1x1x48xf32>) -> tensor<1x1x1x48xf32>
  %12 = wl.reshape %b3 : tensor<1x512xf32> -> tensor<512xf32>
  %13 = wl.broadcast %12 : tensor<512xf32> -> tensor<128x512xf32>
  %14 = wl.matmul %x3, %w3 acc %13 : (tensor<128x256xf32>, tensor<256x512xf32>, tensor<128x512xf32>) -> tensor<128x512xf32>
  %15 = wl.relu %14 : tensor<128x512xf32>
  return %2, %5, %6, %7, %8, %11, %15 : tensor<256x512xf32>, tensor<1x64x28x28xf32>, tensor<1x8x8x96xf32>, tensor<4x256x64xf32>, tensor<1x4096xf32>, tensor<1x1x1x48xf32>, tensor<128x512xf32>
}
