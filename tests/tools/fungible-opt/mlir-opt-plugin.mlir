// Debian's mlir-opt is not instrumented: it cannot load a sanitized plugin.
// UNSUPPORTED: sanitizers
// RUN: mlir-opt --load-dialect-plugin=%fungible_plugin --load-pass-plugin=%fungible_plugin %s | FileCheck %s --check-prefix=PARSE
// RUN: mlir-opt --load-dialect-plugin=%fungible_plugin --load-pass-plugin=%fungible_plugin %s --pass-pipeline="builtin.module(convert-wl-to-linalg)" | FileCheck %s --check-prefix=LOWER
// RUN: mlir-opt --load-dialect-plugin=%fungible_plugin --load-pass-plugin=%fungible_plugin %s --pass-pipeline="builtin.module(wl-print-work)" -o /dev/null | FileCheck %s --check-prefix=WORK
// RUN: not mlir-opt --load-dialect-plugin=%t.no-such-plugin.so %s 2>&1 | FileCheck %s --check-prefix=MISSING

// Debian's own mlir-opt loads the wl dialect and Fungible's passes from
// the plugin library (plugin passes are named in --pass-pipeline, since
// they register after the command line is parsed).

// PARSE-LABEL: func.func @f
// PARSE: wl.matmul
// LOWER-LABEL: func.func @f
// LOWER: linalg.matmul
// LOWER-NOT: wl.
// WORK: 0  wl.matmul        contraction                 128
// MISSING: Failed to load dialect plugin from '{{.*}}no-such-plugin.so'
func.func @f(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = wl.matmul %a, %a : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
