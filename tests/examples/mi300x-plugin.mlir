// The out-of-tree example plugin (examples/plugins/mi300x) builds from its
// own CMakeLists against the exported Fungible package of this build, and
// both tools load it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %configure-plugin -S %S/../../examples/plugins/mi300x -B %t/build > %t/configure.log
// RUN: %cmake --build %t/build > %t/build.log
// RUN: fungible-cost %s --load-target-plugin=%t/build/Mi300xPlugin.so --targets=mi300x,h100 | FileCheck %s
// RUN: fungible-cost %s --load-target-plugin=%t/build/Mi300xPlugin.so --targets=mi300x --explain=f/matmul_0 | FileCheck %s --check-prefix=EXPLAIN
// RUN: fungible-opt --load-target-plugin=%t/build/Mi300xPlugin.so %s --wl-outline-kernels --wl-estimate-costs=targets=mi300x | FileCheck %s --check-prefix=OPT

// 4096^3 bf16: 16 x 16 = 256 tiles of 256x256 fit in one wave over the 304
// CUs; a wave is 2*256*256*4096 / (1307.4e12 / 304 * 0.6) = 2.0806e-04 s,
// plus 5 us launch = 2.131e-04 s (H100: 1.835e-04 s). The one-element add
// is the launch overhead alone.
// CHECK: kernel kind FLOPs mi300x h100
// CHECK-NEXT: f/matmul_0 contraction 137438953472 2.131e-04 1.835e-04*
// CHECK-NEXT: f/add_1 elementwise 1 5.000e-06

// EXPLAIN: mi300x: 2.130577e-04 s, {{.*}} compute-bound
// EXPLAIN-NEXT: GEMM 1x[4096x4096x4096] -> 256 tiles of 256x256 in 1 waves over 304 CUs; matrix cores bf16 at 1307.4 TFLOP/s x 0.6;
// EXPLAIN-SAME: the spec's unsourced figures: price_per_hour

// Energy at 750 W: 2.1306e-04 s x 750 = 0.15979 J.
// OPT: wl.kernel "matmul_0"(%arg0, %arg1) {wl.cheapest = "mi300x", wl.estimates = {mi300x = {bound = "compute", {{.*}} joules = 0.15979{{[0-9]*}} : f64, padding_waste = 0.000000e+00 : f64, seconds = 2.13057{{[0-9]*}}E-4 : f64

func.func @f(%a: tensor<4096x4096xbf16>, %b: tensor<4096x4096xbf16>, %c: tensor<1xf32>) -> (tensor<4096x4096xbf16>, tensor<1xf32>) {
  %0 = wl.matmul %a, %b : (tensor<4096x4096xbf16>, tensor<4096x4096xbf16>) -> tensor<4096x4096xbf16>
  %1 = wl.add %c, %c : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  return %0, %1 : tensor<4096x4096xbf16>, tensor<1xf32>
}
