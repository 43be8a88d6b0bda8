// RUN: fungible-opt %s --split-input-file --wl-place="targets=mx,vx target-specs=%S/Inputs/mx.json,%S/Inputs/vx.json" | FileCheck %s
// RUN: fungible-opt %s --split-input-file --wl-place="targets=mx target-specs=%S/Inputs/mx.json" | FileCheck %s --check-prefix=ONE

// Two test chips (Inputs/): mx runs matrices at 1 TFLOP/s and vectors at
// 0.01, vx the reverse; both 100 GB/s memory, 1 us launch, and a 100 GB/s
// link between them (CPU to CPU: memory bandwidth). On 256x256 f32:
//  - the matmul (33.55 MFLOP, 786432 bytes): mx 33.554 + 1 = 34.554 us
//    (vx: 3.36 ms);
//  - a relu (65536 FLOP, 524288 bytes): mx 6.554 + 1 = 7.554 us (compute
//    bound); vx 5.243 + 1 = 6.243 us (memory bound);
//  - moving the 262144-byte tensor: 2.621 us.

// Three relus after the matmul: moving once pays. All on mx: 34.554 +
// 3 x 7.554 = 57.216 us; the relus on vx: 34.554 + 2.621 + 3 x 6.243 =
// 55.905 us.
// CHECK-LABEL: func.func @moves
// CHECK-SAME: wl.placement = {best_single_target = "mx", best_single_target_cost = 5.72{{[0-9]*}}E-5 : f64, cost = 5.59{{[0-9]*}}E-5 : f64, {{.*}}method = "tree", objective = "time", optimal = true}
// CHECK: %[[M:.*]] = wl.matmul %arg0, %arg1 {wl.target = "mx"}
// CHECK-NEXT: %[[T:.*]] = wl.transfer %[[M]] from "mx" to "vx"
// CHECK-NEXT: %[[R1:.*]] = wl.relu %[[T]] {wl.target = "vx"}
// CHECK-NEXT: %[[R2:.*]] = wl.relu %[[R1]] {wl.target = "vx"}
// CHECK-NEXT: %[[R3:.*]] = wl.relu %[[R2]] {wl.target = "vx"}
// CHECK-NEXT: return %[[R3]]
// With one target, placement is the identity: no transfer.
// ONE-LABEL: func.func @moves
// ONE-NOT: wl.transfer
// ONE: return
func.func @moves(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %m = wl.matmul %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %r1 = wl.relu %m : tensor<256x256xf32>
  %r2 = wl.relu %r1 : tensor<256x256xf32>
  %r3 = wl.relu %r2 : tensor<256x256xf32>
  return %r3 : tensor<256x256xf32>
}

// -----

// One relu: the move costs more than it saves. All on mx: 34.554 + 7.554
// = 42.108 us; the relu on vx: 34.554 + 2.621 + 6.243 = 43.418 us.
// CHECK-LABEL: func.func @stays
// CHECK-SAME: cost = 4.21{{[0-9]*}}E-5 : f64
// CHECK-NOT: wl.transfer
// CHECK: wl.relu %{{.*}} {wl.target = "mx"}
func.func @stays(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %m = wl.matmul %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %r1 = wl.relu %m : tensor<256x256xf32>
  return %r1 : tensor<256x256xf32>
}

// -----

// A diamond (matmul -> a one-relu and a two-relu branch -> add) has a
// cycle, so it is solved by elimination. The add (65536 FLOP, 786432
// bytes) costs 8.864 us on either chip (memory bound). The matmul's result
// is one value read by both branches: moved to vx once, not once per
// branch. All on mx: 34.554 + 3 x 7.554 + 8.864 = 66.080 us; the relus and
// the add on vx: 34.554 + 2.621 + 3 x 6.243 + 8.864 = 64.769 us. (Paying a
// move per branch, 34.554 + 2 x 2.621 + 3 x 6.243 + 8.864 = 67.390 us, it
// would not pay.)
// CHECK-LABEL: func.func @diamond
// CHECK-SAME: best_single_target = "mx", best_single_target_cost = 6.60{{[0-9]*}}E-5 : f64, cost = 6.47{{[0-9]*}}E-5 : f64, {{.*}}method = "exact"
// CHECK: %[[M:.*]] = wl.matmul %arg0, %arg1 {wl.target = "mx"}
// CHECK-NEXT: %[[T:.*]] = wl.transfer %[[M]] from "mx" to "vx"
// CHECK-NOT: wl.transfer
// CHECK: wl.relu %[[T]] {wl.target = "vx"}
// CHECK: wl.relu %[[T]] {wl.target = "vx"}
// CHECK: wl.add {{.*}} {wl.target = "vx"}
func.func @diamond(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %m = wl.matmul %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %r1 = wl.relu %m : tensor<256x256xf32>
  %r2 = wl.relu %m : tensor<256x256xf32>
  %r3 = wl.relu %r2 : tensor<256x256xf32>
  %s = wl.add %r1, %r3 : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %s : tensor<256x256xf32>
}
