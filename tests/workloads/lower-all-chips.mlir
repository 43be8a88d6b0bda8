// REQUIRES: workloads
// Every built-in chip lowers every real model of shared/workloads
// (`wl-lower{target=<chip>}`); h100, tpu-v5p, trn2 and cpu-host have their
// own tests that check what the lowering writes (lower-{gpu,tpu,trainium,
// cpu}.mlir). Here: the other chips, 13 models each, no wl op left behind.
// RUN: for chip in h200 b200 tpu-v5e tpu-v6e trn1; do \
// RUN:   for f in %workloads/*.mlir; do \
// RUN:     fungible-opt --wl-import --wl-lower=target=$chip $f > %t.out || exit 1; \
// RUN:     if grep -q ' wl\.' %t.out; then echo "$chip $f: wl ops left"; exit 1; fi; \
// RUN:     echo "$chip lowered $(basename $f)"; \
// RUN:   done; \
// RUN: done | sort | uniq -c -w 8 | FileCheck %s
// CHECK-DAG: 13 b200 lowered
// CHECK-DAG: 13 h200 lowered
// CHECK-DAG: 13 tpu-v5e lowered
// CHECK-DAG: 13 tpu-v6e lowered
// CHECK-DAG: 13 trn1 lowered
