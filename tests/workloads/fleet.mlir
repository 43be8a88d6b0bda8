// REQUIRES: workloads
// The whole fleet on real models (#14's "done when"): on a mixed fleet the
// throughput objective's placement streams more items per second than the
// best single chip does, in the steady-state model and in the simulated
// stream; the makespan objective is never worse than the best single chip.
//
// ResNet-18 (torchvision) on a B200, a TPU v6e and a Trainium2.
// RUN: rm -rf %t && mkdir -p %t
// RUN: fungible-run %workloads/resnet18_torchvision_linalg.mlir --devices=b200,tpu-v6e,trn2 --simulate-only --objective=throughput --batches=64 --report=%t/resnet.json
// RUN: %python %S/../lib/report_query.py r=%t/resnet.json "len(chips(r)) > 1, r['throughput_per_s'] > r['best_single_chip']['throughput_per_s'], r['simulated_throughput_per_s'] > r['best_single_chip']['throughput_per_s'], r['placement_method']" | FileCheck %s --check-prefix=RESNET
// RESNET: (True, True, True, 'heuristic')
// RUN: fungible-run %workloads/resnet18_torchvision_linalg.mlir --devices=b200,tpu-v6e,trn2 --simulate-only --objective=makespan --report=%t/resnet-makespan.json
// RUN: %python %S/../lib/report_query.py r=%t/resnet-makespan.json "r['makespan_s'] <= r['best_single_chip']['makespan_s'] * (1 + 1e-12), r['makespan_s'] == r['placement_objective'], r['placement_lower_bound'] <= r['makespan_s']" | FileCheck %s --check-prefix=MAKESPAN
// MAKESPAN: (True, True, True)
