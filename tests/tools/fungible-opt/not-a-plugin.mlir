// RUN: mlir-opt --load-dialect-plugin=%S/not-a-plugin.mlir %s 2>&1 | FileCheck %s

// A file that is not a shared library is refused with the file's name;
// mlir-opt ignores the request (its documented behaviour) and goes on
// without crashing.
// CHECK: Failed to load dialect plugin from '{{.*}}not-a-plugin.mlir'. Request ignored.
// CHECK-NOT: Stack dump
// CHECK: func.func @f
func.func @f() {
  return
}
