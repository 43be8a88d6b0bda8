// A fat module whose compiled variant of kernel "relu_0" has no
// wl.kernel_fingerprint (as an older wl-compile wrote them): the runtime
// cannot tell that it is this kernel's, so it does not use it.
func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = wl.kernel "relu_0"(%a) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%x: tensor<4xf32>):
    %r = wl.relu %x : tensor<4xf32>
    wl.yield %r : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
module @"relu_0.cpu-host" attributes {wl.kernel = "relu_0", wl.target = "cpu-host"} {
  func.func @renamed(%x: memref<4xf32>) {
    return
  }
}
