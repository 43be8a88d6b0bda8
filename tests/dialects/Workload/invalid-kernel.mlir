// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @unnamed(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{needs a non-empty name}}
  %0 = wl.kernel "" (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    wl.yield %a : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @foreign(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = wl.kernel "k" (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    // expected-error @+1 {{cannot be part of a wl.kernel: a kernel holds wl ops and constants only}}
    %b = arith.addf %a, %a : tensor<4xf32>
    wl.yield %b : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @nested(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = wl.kernel "outer" (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    // expected-error @+1 {{cannot nest in another wl.kernel}}
    %b = wl.kernel "inner" (%a) : (tensor<4xf32>) -> tensor<4xf32> {
    ^bb0(%c: tensor<4xf32>):
      wl.yield %c : tensor<4xf32>
    }
    wl.yield %b : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @arguments(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{region argument type 'tensor<8xf32>' differs from its input's 'tensor<4xf32>'}}
  %0 = wl.kernel "k" (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<8xf32>):
    %s = wl.slice %a offsets = [0] : tensor<8xf32> -> tensor<4xf32>
    wl.yield %s : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}

// -----

func.func @results(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{yields 1 values whose types differ from the results}}
  %0 = wl.kernel "k" (%x) : (tensor<4xf32>) -> tensor<4xf16> {
  ^bb0(%a: tensor<4xf32>):
    wl.yield %a : tensor<4xf32>
  }
  return %x : tensor<4xf32>
}

// -----

func.func @isolated(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-note @+1 {{required by region isolation constraints}}
  %0 = wl.kernel "k" () : () -> tensor<4xf32> {
    // expected-error @+1 {{using value defined outside the region}}
    %r = wl.relu %x : tensor<4xf32>
    wl.yield %r : tensor<4xf32>
  }
  return %0 : tensor<4xf32>
}
