// RUN: fungible-opt %S/../../examples/workloads/gpt2_block.mlir -wl-print-work -o /dev/null | FileCheck %s --check-prefix=WORK
// RUN: fungible-opt %S/../../examples/workloads/gpt2_block.mlir -convert-wl-to-linalg | FileCheck %s --check-prefix=LOWER

// The bundled GPT-2 small block (S = 1024, D = 768, 12 heads of 64,
// F = 3072). Work, worked out independently of the interface:
//   layer_norm   7*S*D + 4*S                 =     5509120  (x2)
//   qkv matmul   2*S*2304*D                  =  3623878656
//   attention    12 * S*S * (2*64 + 2*64 + 6) =  3296722944
//   proj matmul  2*S*D*D                     =  1207959552
//   fc / out     2*S*F*D                     =  4831838208  (x2)
//   elementwise  S*2304 + 4*S*D + 2*S*F      =    11796480
//   total                                    = 17815052288

// WORK: wl work of @gpt2_block: 25 ops
// WORK: 0  wl.layer_norm    reduction               5509120
// WORK: 1  wl.matmul        contraction          3623878656
// WORK: 12  wl.attention     contraction          3296722944
// WORK: 15  wl.matmul        contraction          1207959552
// WORK: 19  wl.matmul        contraction          4831838208
// WORK: 21  wl.gelu          elementwise             3145728
// WORK: 22  wl.matmul        contraction          4831838208
// WORK: total                                17815052288      154180608      119537664

// LOWER-LABEL: func.func @gpt2_block
// LOWER-COUNT-4: linalg.matmul
// LOWER-NOT: wl.
// LOWER: return
