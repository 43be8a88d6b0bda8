// RUN: %python %S/../../lib/make_harness.py %s model > %t.mlir
// RUN: fungible-opt %t.mlir %reference-lowering | %run-harness > %t.a
// RUN: fungible-opt %t.mlir -wl-import -convert-wl-to-linalg %reference-lowering | %run-harness > %t.b
// RUN: %python %S/../../lib/compare_outputs.py %t.a %t.b | FileCheck %s
// RUN: fungible-opt %s -wl-import -wl-import-report -o /dev/null | FileCheck %s --check-prefix=REPORT
// RUN: fungible-opt %s -wl-import | FileCheck %s --check-prefix=IR

// Activations, powers and norms written out as producers decompose them
// (Idioms.h): each is raised as the one wl op a fusing compiler makes of
// it, whatever the operand order and association, and computes what the
// original program computes on inputs that differ per element. The
// near-misses (a wrong constant, an unbiased variance) stay as written.
// 15 results of 4x8:
// CHECK: compared 480 values, {{.*}}, 0 mismatches

// REPORT: raised: {{.*}}wl.cos 1, wl.div 3, wl.gelu 2, wl.layer_norm 2,{{.*}}wl.rms_norm 1, wl.rsqrt 2, wl.sigmoid 2, wl.sin 1, wl.softmax 1, wl.sqrt 1
// REPORT: 0 opaque kernels (0 FLOPs), 0 left as is (0 FLOPs); 100.00% of FLOPs raised

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @model(%x: tensor<4x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %er = tensor.empty() : tensor<4x1xf32>
  %zero = arith.constant 0.0 : f32
  %zr = linalg.fill ins(%zero : f32) outs(%er : tensor<4x1xf32>) -> tensor<4x1xf32>

  // Exact GELU as torch-mlir writes aten.gelu: x * 0.5 * (1 + erf(x / sqrt 2)).
  // IR: wl.gelu %arg0 : tensor<4x8xf32>
  %gelu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %sqrt2 = arith.constant 1.41421356 : f32
    %u = arith.divf %a, %sqrt2 : f32
    %erf = math.erf %u : f32
    %s = arith.addf %erf, %one : f32
    %h = arith.mulf %a, %half : f32
    %r = arith.mulf %h, %s : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>

  // tanh GELU expanded the other way: 0.5x + 0.5x tanh(k x + k c x^3),
  // the cube a math.fpowi.
  // IR: wl.gelu %arg0 {approximate} : tensor<4x8xf32>
  %gelut = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %half = arith.constant 0.5 : f32
    %k = arith.constant 0.797884583 : f32
    %kc = arith.constant 0.0356774069 : f32
    %three = arith.constant 3 : i32
    %cube = math.fpowi %a, %three : f32, i32
    %t1 = arith.mulf %k, %a : f32
    %t3 = arith.mulf %cube, %kc : f32
    %u = arith.addf %t1, %t3 : f32
    %th = math.tanh %u : f32
    %h = arith.mulf %half, %a : f32
    %ht = arith.mulf %h, %th : f32
    %r = arith.addf %ht, %h : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>

  // A near-miss: 0.045 is not GELU's cubic coefficient. Stays as written.
  %nearmiss = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %k = arith.constant 0.797884583 : f32
    %c = arith.constant 0.045 : f32
    %x2 = arith.mulf %a, %a : f32
    %x3 = arith.mulf %x2, %a : f32
    %p = arith.mulf %c, %x3 : f32
    %s = arith.addf %a, %p : f32
    %u = arith.mulf %k, %s : f32
    %th = math.tanh %u : f32
    %o1 = arith.addf %one, %th : f32
    %h = arith.mulf %half, %a : f32
    %r = arith.mulf %h, %o1 : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>

  // Sigmoid and SiLU: 1 / (1 + e^-x) and x / (1 + e^-x).
  // IR: wl.sigmoid %arg0
  // IR: %[[SIG:.*]] = wl.sigmoid %arg0
  // IR-NEXT: wl.mul %arg0, %[[SIG]]
  %sig = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %n = arith.negf %a : f32
    %ex = math.exp %n : f32
    %d = arith.addf %ex, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %silu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %m1 = arith.constant -1.0 : f32
    %n = arith.mulf %a, %m1 : f32
    %ex = math.exp %n : f32
    %d = arith.addf %one, %ex : f32
    %r = arith.divf %a, %d : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>

  // Constant powers of a positive base y = x^2 + 0.5: y^2 (powf), y^-2
  // (fpowi), y^0.5 and y^-0.5 (powf).
  %p2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c05 = arith.constant 0.5 : f32
    %c = arith.constant 2.0 : f32
    %sq = arith.mulf %a, %a : f32
    %y = arith.addf %sq, %c05 : f32
    %p = math.powf %y, %c : f32
    linalg.yield %p : f32
  } -> tensor<4x8xf32>
  %pm2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c05 = arith.constant 0.5 : f32
    %c = arith.constant -2 : i32
    %sq = arith.mulf %a, %a : f32
    %y = arith.addf %sq, %c05 : f32
    %p = math.fpowi %y, %c : f32, i32
    linalg.yield %p : f32
  } -> tensor<4x8xf32>
  %ph = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c05 = arith.constant 0.5 : f32
    %c = arith.constant 0.5 : f32
    %sq = arith.mulf %a, %a : f32
    %y = arith.addf %sq, %c05 : f32
    %p = math.powf %y, %c : f32
    linalg.yield %p : f32
  } -> tensor<4x8xf32>
  %pmh = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c05 = arith.constant 0.5 : f32
    %c = arith.constant -0.5 : f32
    %sq = arith.mulf %a, %a : f32
    %y = arith.addf %sq, %c05 : f32
    %p = math.powf %y, %c : f32
    linalg.yield %p : f32
  } -> tensor<4x8xf32>

  // Layer norm over generics (torch-mlir's form): the mean as a sum times
  // 1/n, the variance of the centred value, gamma and beta in one body.
  // IR: wl.layer_norm %arg0, %arg1, %arg2 {epsilon = 9.9999997473787516E-6 : f64}
  %s1 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%zr : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %acc, %a : f32
    linalg.yield %r : f32
  } -> tensor<4x1xf32>
  %xc = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s1 : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %inv = arith.constant 0.125 : f32
    %m = arith.mulf %s, %inv : f32
    %r = arith.subf %a, %m : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%xc : tensor<4x8xf32>) outs(%zr : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %two = arith.constant 2.0 : f32
    %q = math.powf %a, %two : f32
    %r = arith.addf %acc, %q : f32
    linalg.yield %r : f32
  } -> tensor<4x1xf32>
  %ln = linalg.generic {indexing_maps = [#id, #row, #col, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xc, %s2, %g, %b : tensor<4x8xf32>, tensor<4x1xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %s: f32, %gi: f32, %bi: f32, %o: f32):
    %n = arith.constant 8.0 : f32
    %eps = arith.constant 1.0e-5 : f32
    %v = arith.divf %s, %n : f32
    %ve = arith.addf %eps, %v : f32
    %rs = math.rsqrt %ve : f32
    %y = arith.mulf %rs, %a : f32
    %yg = arith.mulf %gi, %y : f32
    %r = arith.addf %bi, %yg : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>

  // Layer norm without gamma or beta, on x + x (the normalised value is a
  // sum itself: the matcher must not look through it).
  // IR: %[[XX:.*]] = wl.add %arg0, %arg0
  // IR: wl.layer_norm %[[XX]], %{{.*}}, %{{.*}} {epsilon = 9.9999997473787516E-6 : f64}
  %xx = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.addf %a, %a : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %t1 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%xx : tensor<4x8xf32>) outs(%zr : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4x1xf32>
  %xc2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xx, %t1 : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %n = arith.constant 8.0 : f32
    %m = arith.divf %s, %n : f32
    %r = arith.subf %a, %m : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %t2 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%xc2 : tensor<4x8xf32>) outs(%zr : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %q = arith.mulf %a, %a : f32
    %r = arith.addf %q, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4x1xf32>
  %ln2 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xc2, %t2 : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %n = arith.constant 8.0 : f32
    %eps = arith.constant 1.0e-5 : f32
    %v = arith.divf %s, %n : f32
    %ve = arith.addf %v, %eps : f32
    %rs = math.rsqrt %ve : f32
    %r = arith.mulf %a, %rs : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>

  // The near-miss norm: the variance divided by n - 1 (unbiased) is not a
  // layer norm's. Stays as written.
  %lnu = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%xc2, %t2 : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %s: f32, %o: f32):
    %n = arith.constant 7.0 : f32
    %eps = arith.constant 1.0e-5 : f32
    %v = arith.divf %s, %n : f32
    %ve = arith.addf %v, %eps : f32
    %rs = math.rsqrt %ve : f32
    %r = arith.mulf %a, %rs : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>

  // RMS norm (Llama): x * rsqrt(sum(x^2) / n + eps) * w.
  // IR: wl.rms_norm %arg0, %arg1 {epsilon = 9.9999999747524271E-7 : f64}
  %r2 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%zr : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %q = arith.mulf %a, %a : f32
    %r = arith.addf %q, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4x1xf32>
  %rms = linalg.generic {indexing_maps = [#id, #row, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %r2, %g : tensor<4x8xf32>, tensor<4x1xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %s: f32, %w: f32, %o: f32):
    %n = arith.constant 8.0 : f32
    %eps = arith.constant 1.0e-6 : f32
    %v = arith.divf %s, %n : f32
    %ve = arith.addf %v, %eps : f32
    %rs = math.rsqrt %ve : f32
    %y = arith.mulf %a, %rs : f32
    %r = arith.mulf %w, %y : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>

  // Softmax as TOSA lowers it: exp(x - max) times the reciprocal of the sum.
  // IR: wl.softmax %arg0 axis = 1
  %lo = arith.constant -3.40282347E+38 : f32
  %mr = linalg.fill ins(%lo : f32) outs(%er : tensor<4x1xf32>) -> tensor<4x1xf32>
  %mx = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%mr : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.maximumf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4x1xf32>
  %ex = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %mx : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %r = math.exp %d : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %se = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%ex : tensor<4x8xf32>) outs(%zr : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %r = arith.addf %a, %acc : f32
    linalg.yield %r : f32
  } -> tensor<4x1xf32>
  %rcp = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%se : tensor<4x1xf32>) outs(%er : tensor<4x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %r = arith.divf %one, %a : f32
    linalg.yield %r : f32
  } -> tensor<4x1xf32>
  %sm = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%ex, %rcp : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %r: f32, %o: f32):
    %y = arith.mulf %a, %r : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>

  // Arith and math on whole tensors (as RoPE computes its angles): the wl
  // ops their scalar forms raise to.
  // IR: %[[SIN:.*]] = wl.sin %arg0 : tensor<4x8xf32>
  // IR-NEXT: %[[COS:.*]] = wl.cos %arg0 : tensor<4x8xf32>
  // IR-NEXT: %[[MUL:.*]] = wl.mul %[[COS]], %arg0
  // IR-NEXT: wl.sub %[[SIN]], %[[MUL]]
  %sin = math.sin %x : tensor<4x8xf32>
  %cos = math.cos %x : tensor<4x8xf32>
  %cx = arith.mulf %cos, %x : tensor<4x8xf32>
  %trig = arith.subf %sin, %cx : tensor<4x8xf32>

  return %trig, %gelu, %gelut, %nearmiss, %sig, %silu, %p2, %pm2, %ph,
         %pmh, %ln, %ln2, %lnu, %rms, %sm
      : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}
