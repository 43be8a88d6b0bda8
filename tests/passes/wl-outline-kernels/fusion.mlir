// RUN: fungible-opt %s --wl-outline-kernels --split-input-file | FileCheck %s
// RUN: fungible-opt %s --wl-outline-kernels=fuse=false --split-input-file | FileCheck %s --check-prefix=NOFUSE
// Outlining an outlined module changes nothing.
// RUN: fungible-opt %s --wl-outline-kernels --split-input-file -o %t.once
// RUN: fungible-opt %t.once --wl-outline-kernels --split-input-file -o %t.twice
// RUN: diff %t.once %t.twice

// A dense layer: the bias broadcast (its only user is fused) is pulled in,
// the bias add and the relu are fused into the matmul's kernel; only the
// layer's inputs and its output cross the kernel boundary.
// CHECK-LABEL: func.func @dense
// CHECK: %[[K:.*]] = wl.kernel "matmul_0"(%arg2, %arg0, %arg1) : (tensor<32xf32>, tensor<8x16xbf16>, tensor<16x32xbf16>) -> tensor<8x32xf32> {
// CHECK-NEXT: ^bb0(%[[B:.*]]: tensor<32xf32>, %[[X:.*]]: tensor<8x16xbf16>, %[[W:.*]]: tensor<16x32xbf16>):
// CHECK-NEXT: %[[BB:.*]] = wl.broadcast %[[B]]
// CHECK-NEXT: %[[M:.*]] = wl.matmul %[[X]], %[[W]]
// CHECK-NEXT: %[[S:.*]] = wl.add %[[M]], %[[BB]]
// CHECK-NEXT: %[[R:.*]] = wl.relu %[[S]]
// CHECK-NEXT: wl.yield %[[R]] : tensor<8x32xf32>
// CHECK-NEXT: }
// CHECK-NEXT: return %[[K]]
// NOFUSE-LABEL: func.func @dense
// NOFUSE: wl.kernel "broadcast_0"
// NOFUSE: wl.kernel "matmul_1"
// NOFUSE: wl.kernel "add_2"
// NOFUSE: wl.kernel "relu_3"
// NOFUSE-NOT: wl.kernel "{{.*}}_4"
func.func @dense(%x: tensor<8x16xbf16>, %w: tensor<16x32xbf16>, %b: tensor<32xf32>) -> tensor<8x32xf32> {
  %bb = wl.broadcast %b : tensor<32xf32> -> tensor<8x32xf32>
  %m = wl.matmul %x, %w : (tensor<8x16xbf16>, tensor<16x32xbf16>) -> tensor<8x32xf32>
  %s = wl.add %m, %bb : (tensor<8x32xf32>, tensor<8x32xf32>) -> tensor<8x32xf32>
  %r = wl.relu %s : tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// -----

// SiLU written out (x * sigmoid(x)) fuses into the matmul producing x.
// CHECK-LABEL: func.func @silu
// CHECK: wl.kernel "matmul_0"
// CHECK: wl.matmul
// CHECK-NEXT: wl.sigmoid
// CHECK-NEXT: wl.mul
// CHECK-NEXT: wl.yield
// CHECK-NOT: wl.kernel
func.func @silu(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> tensor<4x8xf32> {
  %m = wl.matmul %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %s = wl.sigmoid %m : tensor<4x8xf32>
  %y = wl.mul %m, %s : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// A value used after the kernel is one of its results; the softmax that
// uses the matmul's output comes before the relu in the input, and the
// kernels are put back in dependence order.
// CHECK-LABEL: func.func @escaping
// CHECK: %[[K:.*]]:2 = wl.kernel "matmul_0"(%arg0, %arg1) : (tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>)
// CHECK: wl.yield %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<4x8xf32>
// CHECK: %[[S:.*]] = wl.kernel "softmax_1"(%[[K]]#0)
// CHECK: return %[[S]], %[[K]]#1
func.func @escaping(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %m = wl.matmul %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %s = wl.softmax %m axis = 1 : tensor<4x8xf32>
  %r = wl.relu %m : tensor<4x8xf32>
  return %s, %r : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// The add reads the matmul's output and a reduction of it. Joining the
// matmul's kernel would make the two kernels wait on each other, so the add
// joins the reduction's kernel instead.
// CHECK-LABEL: func.func @no_cycle
// CHECK: %[[M:.*]] = wl.kernel "matmul_0"(%arg0, %arg1)
// CHECK: wl.matmul
// CHECK-NEXT: wl.yield
// CHECK: %[[R:.*]] = wl.kernel "reduce_1"(%[[M]])
// CHECK: wl.reduce
// CHECK-NEXT: wl.add
// CHECK-NEXT: wl.yield
// CHECK: return %[[R]]
func.func @no_cycle(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> tensor<4x8xf32> {
  %m = wl.matmul %x, %w : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %r = wl.reduce sum %m dims = [1] {keep_dims} : tensor<4x8xf32> -> tensor<4x1xf32>
  %a = wl.add %m, %r : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  return %a : tensor<4x8xf32>
}

// -----

// Elementwise ops with no contraction or reduction to join form a kernel
// of their own; a splat constant is cloned in rather than passed.
// CHECK-LABEL: func.func @chain
// CHECK-NOT: arith.constant
// CHECK: wl.kernel "add_0"(%arg0, %arg1) :
// CHECK: wl.add
// CHECK-NEXT: arith.constant dense<5.000000e-01>
// CHECK-NEXT: wl.mul
// CHECK-NEXT: wl.tanh
// CHECK-NEXT: wl.yield
// CHECK-NOT: wl.kernel
func.func @chain(%a: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<16xf32> {
  %half = arith.constant dense<0.5> : tensor<16xf32>
  %0 = wl.add %a, %b : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  %1 = wl.mul %0, %half : (tensor<16xf32>, tensor<16xf32>) -> tensor<16xf32>
  %2 = wl.tanh %1 : tensor<16xf32>
  return %2 : tensor<16xf32>
}

// -----

// An opaque op is a kernel of its own and takes no consumers; a transfer
// is never part of a kernel.
// CHECK-LABEL: func.func @opaque_and_transfer
// CHECK: %[[O:.*]] = wl.kernel "opaque_0"(%arg0)
// CHECK: wl.opaque "test.op"
// CHECK: %[[R:.*]] = wl.kernel "relu_1"(%[[O]])
// CHECK: %[[T:.*]] = wl.transfer %[[R]] from "h100" to "trn2"
// CHECK: wl.kernel "exp_2"(%[[T]])
func.func @opaque_and_transfer(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = wl.opaque "test.op" (%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    wl.yield %x : tensor<4xf32>
  }
  %1 = wl.relu %0 : tensor<4xf32>
  %2 = wl.transfer %1 from "h100" to "trn2" : tensor<4xf32>
  %3 = wl.exp %2 : tensor<4xf32>
  return %3 : tensor<4xf32>
}

// -----

// A matmul takes the reshapes and broadcasts only it reads, as a fusing
// compiler's dispatch does (BERT's softmax x V: the scores' heads split by
// a reshape), and a transpose that keeps rows whole (V's heads, [B, S, H,
// D] read as [B, H, S, D]) with the reshape after it.
// CHECK-LABEL: func.func @batch_matmul_views
// CHECK: wl.kernel "batch_matmul_0"(%arg0, %arg1)
// CHECK-NEXT: ^bb0(%[[P:.*]]: tensor<2x4x8x8xf32>, %[[V:.*]]: tensor<2x8x4x16xf32>):
// CHECK-DAG: %[[PR:.*]] = wl.reshape %[[P]] : tensor<2x4x8x8xf32> -> tensor<8x8x8xf32>
// CHECK-DAG: %[[VT:.*]] = wl.transpose %[[V]] perm = [0, 2, 1, 3]
// CHECK-DAG: %[[VR:.*]] = wl.reshape %[[VT]] : tensor<2x4x8x16xf32> -> tensor<8x8x16xf32>
// CHECK: %[[M:.*]] = wl.batch_matmul %[[PR]], %[[VR]]
// CHECK-NEXT: wl.yield %[[M]]
// CHECK-NOT: wl.kernel
// NOFUSE-LABEL: func.func @batch_matmul_views
// NOFUSE-COUNT-4: wl.kernel
// NOFUSE-NOT: wl.kernel
func.func @batch_matmul_views(%p: tensor<2x4x8x8xf32>, %v: tensor<2x8x4x16xf32>) -> tensor<8x8x16xf32> {
  %pr = wl.reshape %p : tensor<2x4x8x8xf32> -> tensor<8x8x8xf32>
  %vt = wl.transpose %v perm = [0, 2, 1, 3] : tensor<2x8x4x16xf32> -> tensor<2x4x8x16xf32>
  %vr = wl.reshape %vt : tensor<2x4x8x16xf32> -> tensor<8x8x16xf32>
  %m = wl.batch_matmul %pr, %vr : (tensor<8x8x8xf32>, tensor<8x8x16xf32>) -> tensor<8x8x16xf32>
  return %m : tensor<8x8x16xf32>
}

// -----

// A transpose that moves the innermost dimension (V given as [B, D, H,
// S]) stays a kernel of its own: the DMAs read a matmul operand's rows
// transposed only in the layouts docs/Codegen.md lists.
// CHECK-LABEL: func.func @batch_matmul_moved_rows
// CHECK: %[[VT:.*]] = wl.kernel "transpose_1"(%arg1)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: wl.transpose
// CHECK-NEXT: wl.yield
// CHECK: wl.kernel "batch_matmul_0"(%arg0, %[[VT]])
// CHECK-NOT: wl.kernel
// NOFUSE-LABEL: func.func @batch_matmul_moved_rows
func.func @batch_matmul_moved_rows(%p: tensor<2x4x8x8xf32>, %v: tensor<2x16x4x8xf32>) -> tensor<8x8x16xf32> {
  %pr = wl.reshape %p : tensor<2x4x8x8xf32> -> tensor<8x8x8xf32>
  %vt = wl.transpose %v perm = [0, 2, 3, 1] : tensor<2x16x4x8xf32> -> tensor<2x4x8x16xf32>
  %vr = wl.reshape %vt : tensor<2x4x8x16xf32> -> tensor<8x8x16xf32>
  %m = wl.batch_matmul %pr, %vr : (tensor<8x8x8xf32>, tensor<8x8x16xf32>) -> tensor<8x8x16xf32>
  return %m : tensor<8x8x16xf32>
}

// -----

// A bias given as 1 x N, reshaped and broadcast into a matmul's
// accumulator (the one-layer MLP of shared/workloads): both views are the
// matmul's; one kernel.
// CHECK-LABEL: func.func @accumulator_views
// NOFUSE-LABEL: func.func @accumulator_views
// CHECK: wl.kernel "matmul_0"(%arg2, %arg0, %arg1)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: wl.reshape
// CHECK-NEXT: wl.broadcast
// CHECK-NEXT: wl.matmul
// CHECK-NEXT: wl.relu
// CHECK-NEXT: wl.yield
// CHECK-NOT: wl.kernel
func.func @accumulator_views(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<1x16xf32>) -> tensor<4x16xf32> {
  %br = wl.reshape %b : tensor<1x16xf32> -> tensor<16xf32>
  %bb = wl.broadcast %br : tensor<16xf32> -> tensor<4x16xf32>
  %m = wl.matmul %x, %w acc %bb : (tensor<4x8xf32>, tensor<8x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = wl.relu %m : tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// A view another op also reads stays a kernel of its own (the contraction
// would otherwise copy it again), and so does a group that holds more than
// views (the scaled transpose).
// CHECK-LABEL: func.func @views_kept
// NOFUSE-LABEL: func.func @views_kept
// CHECK: %[[WS:.*]] = wl.kernel "mul_1"(%arg1, %arg2)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: wl.transpose
// CHECK-NEXT: wl.mul
// CHECK-NEXT: wl.yield
// CHECK: %[[XT:.*]]:2 = wl.kernel "relu_0"(%arg0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: wl.transpose
// CHECK-NEXT: wl.relu
// CHECK-NEXT: wl.yield
// CHECK: wl.kernel "matmul_3"(%[[XT]]#1, %arg3)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: wl.matmul
// CHECK-NEXT: wl.yield
// CHECK: wl.kernel "matmul_2"(%[[XT]]#0, %[[WS]])
// CHECK-NEXT: ^bb0
// CHECK-NEXT: wl.matmul
// CHECK-NEXT: wl.yield
func.func @views_kept(%x: tensor<8x4xf32>, %w: tensor<16x8xf32>, %s: tensor<8x16xf32>, %v: tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %xt = wl.transpose %x perm = [1, 0] : tensor<8x4xf32> -> tensor<4x8xf32>
  %wt = wl.transpose %w perm = [1, 0] : tensor<16x8xf32> -> tensor<8x16xf32>
  %ws = wl.mul %wt, %s : (tensor<8x16xf32>, tensor<8x16xf32>) -> tensor<8x16xf32>
  %m = wl.matmul %xt, %ws : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %r = wl.relu %xt : tensor<4x8xf32>
  %n = wl.matmul %r, %v : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %m, %n : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// A norm's output reshaped for each of three projections: each matmul
// takes its reshape, and the norm's kernel yields its value once (not one
// reshape per reader: on the host, one copy each of views of one buffer).
// CHECK-LABEL: func.func @tail_reshapes
// CHECK: %[[N:.*]] = wl.kernel "rms_norm_0"(%arg0, %arg1) : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
// CHECK-COUNT-3: wl.kernel "matmul_{{[0-9]}}"(%[[N]],
// CHECK-NOT: wl.kernel
func.func @tail_reshapes(%x: tensor<1x4x8xf32>, %g: tensor<8xf32>, %wq: tensor<8x8xf32>, %wk: tensor<8x8xf32>, %wv: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %n = wl.rms_norm %x, %g : (tensor<1x4x8xf32>, tensor<8xf32>) -> tensor<1x4x8xf32>
  %a = wl.reshape %n : tensor<1x4x8xf32> -> tensor<4x8xf32>
  %b = wl.reshape %n : tensor<1x4x8xf32> -> tensor<4x8xf32>
  %c = wl.reshape %n : tensor<1x4x8xf32> -> tensor<4x8xf32>
  %q = wl.matmul %a, %wq : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %k = wl.matmul %b, %wk : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  %v = wl.matmul %c, %wv : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
  return %q, %k, %v : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}
