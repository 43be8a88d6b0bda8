// A GPT-2 small transformer block (Radford et al. 2019, "Language Models
// are Unsupervised Multitask Learners"; the 124M model): d_model 768,
// 12 heads of 64, MLP 3072, pre-LayerNorm, causal self-attention, tanh
// GELU, at batch 1 and sequence 1024, f32, written in the wl dialect.
// Weights are function arguments (Conv1D layout: [in, out]).

func.func @gpt2_block(
    %x: tensor<1024x768xf32>,
    %ln1_g: tensor<768xf32>, %ln1_b: tensor<768xf32>,
    %w_qkv: tensor<768x2304xf32>, %b_qkv: tensor<2304xf32>,
    %w_proj: tensor<768x768xf32>, %b_proj: tensor<768xf32>,
    %ln2_g: tensor<768xf32>, %ln2_b: tensor<768xf32>,
    %w_fc: tensor<768x3072xf32>, %b_fc: tensor<3072xf32>,
    %w_out: tensor<3072x768xf32>, %b_out: tensor<768xf32>)
    -> tensor<1024x768xf32> {
  // Attention sub-block.
  %h = wl.layer_norm %x, %ln1_g, %ln1_b : (tensor<1024x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1024x768xf32>
  %qkv0 = wl.matmul %h, %w_qkv : (tensor<1024x768xf32>, tensor<768x2304xf32>) -> tensor<1024x2304xf32>
  %qkv = wl.add %qkv0, %b_qkv : (tensor<1024x2304xf32>, tensor<2304xf32>) -> tensor<1024x2304xf32>
  %q2 = wl.slice %qkv offsets = [0, 0] : tensor<1024x2304xf32> -> tensor<1024x768xf32>
  %k2 = wl.slice %qkv offsets = [0, 768] : tensor<1024x2304xf32> -> tensor<1024x768xf32>
  %v2 = wl.slice %qkv offsets = [0, 1536] : tensor<1024x2304xf32> -> tensor<1024x768xf32>
  %q3 = wl.reshape %q2 : tensor<1024x768xf32> -> tensor<1024x12x64xf32>
  %k3 = wl.reshape %k2 : tensor<1024x768xf32> -> tensor<1024x12x64xf32>
  %v3 = wl.reshape %v2 : tensor<1024x768xf32> -> tensor<1024x12x64xf32>
  %q = wl.transpose %q3 perm = [1, 0, 2] : tensor<1024x12x64xf32> -> tensor<12x1024x64xf32>
  %k = wl.transpose %k3 perm = [1, 0, 2] : tensor<1024x12x64xf32> -> tensor<12x1024x64xf32>
  %v = wl.transpose %v3 perm = [1, 0, 2] : tensor<1024x12x64xf32> -> tensor<12x1024x64xf32>
  %a = wl.attention %q, %k, %v {causal} : (tensor<12x1024x64xf32>, tensor<12x1024x64xf32>, tensor<12x1024x64xf32>) -> tensor<12x1024x64xf32>
  %a3 = wl.transpose %a perm = [1, 0, 2] : tensor<12x1024x64xf32> -> tensor<1024x12x64xf32>
  %a2 = wl.reshape %a3 : tensor<1024x12x64xf32> -> tensor<1024x768xf32>
  %p0 = wl.matmul %a2, %w_proj : (tensor<1024x768xf32>, tensor<768x768xf32>) -> tensor<1024x768xf32>
  %p = wl.add %p0, %b_proj : (tensor<1024x768xf32>, tensor<768xf32>) -> tensor<1024x768xf32>
  %r1 = wl.add %x, %p : (tensor<1024x768xf32>, tensor<1024x768xf32>) -> tensor<1024x768xf32>
  // MLP sub-block.
  %h2 = wl.layer_norm %r1, %ln2_g, %ln2_b : (tensor<1024x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1024x768xf32>
  %f0 = wl.matmul %h2, %w_fc : (tensor<1024x768xf32>, tensor<768x3072xf32>) -> tensor<1024x3072xf32>
  %f1 = wl.add %f0, %b_fc : (tensor<1024x3072xf32>, tensor<3072xf32>) -> tensor<1024x3072xf32>
  %f = wl.gelu %f1 {approximate} : tensor<1024x3072xf32>
  %o0 = wl.matmul %f, %w_out : (tensor<1024x3072xf32>, tensor<3072x768xf32>) -> tensor<1024x768xf32>
  %o = wl.add %o0, %b_out : (tensor<1024x768xf32>, tensor<768xf32>) -> tensor<1024x768xf32>
  %r2 = wl.add %r1, %o : (tensor<1024x768xf32>, tensor<1024x768xf32>) -> tensor<1024x768xf32>
  return %r2 : tensor<1024x768xf32>
}
