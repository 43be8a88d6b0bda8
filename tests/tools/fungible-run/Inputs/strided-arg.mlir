// An argument fungible-run cannot take (tests/tools/fungible-run/scalar-args.mlir).
func.func @f(%x: tensor<4xf32>, %m: memref<4xf32, strided<[2]>>) -> tensor<4xf32> {
  %r = wl.relu %x : tensor<4xf32>
  return %r : tensor<4xf32>
}
