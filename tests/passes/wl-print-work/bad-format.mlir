// RUN: not fungible-opt %s -wl-print-work=format=xml -o /dev/null 2>&1 | FileCheck %s

// An unknown option value is rejected when the pipeline is parsed, with the
// accepted values.
// CHECK: wl-print-work: unknown format 'xml', expected 'table' or 'json'
// CHECK-NOT: builtin.module
func.func @f() {
  return
}
