// A model with a syntax error.
func.func @f(%a: tensor<4xf32>) {
  %0 = wl.relu %a tensor<4xf32>
  return
}
