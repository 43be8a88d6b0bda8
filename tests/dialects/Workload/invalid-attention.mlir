// RUN: fungible-opt %s -split-input-file -verify-diagnostics

func.func @ranks(%q: tensor<4x8xf32>, %k: tensor<1x6x8xf32>, %v: tensor<1x6x8xf32>) {
  // expected-error @+1 {{expects query, key, value and result of one rank >= 2, got ranks 2, 3, 3, 2}}
  %0 = wl.attention %q, %k, %v : (tensor<4x8xf32>, tensor<1x6x8xf32>, tensor<1x6x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @head_dim(%q: tensor<4x8xf32>, %k: tensor<6x16xf32>, %v: tensor<6x8xf32>) {
  // expected-error @+1 {{key head dimension 16 differs from the query's 8}}
  %0 = wl.attention %q, %k, %v : (tensor<4x8xf32>, tensor<6x16xf32>, tensor<6x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @value_length(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<5x8xf32>) {
  // expected-error @+1 {{value sequence length 5 differs from the key's 6}}
  %0 = wl.attention %q, %k, %v : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<5x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @batch(%q: tensor<2x4x8xf32>, %k: tensor<3x6x8xf32>, %v: tensor<3x6x8xf32>) {
  // expected-error @+1 {{batch dimensions differ: query [2, 4, 8], key [3, 6, 8], value [3, 6, 8]}}
  %0 = wl.attention %q, %k, %v : (tensor<2x4x8xf32>, tensor<3x6x8xf32>, tensor<3x6x8xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

func.func @causal_longer_query(%q: tensor<8x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x8xf32>) {
  // expected-error @+1 {{a causal mask needs Sq <= Sk (or an offset), got Sq = 8, Sk = 6}}
  %0 = wl.attention %q, %k, %v {causal} : (tensor<8x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>) -> tensor<8x8xf32>
  return
}

// -----

func.func @result(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x3xf32>) {
  // expected-error @+1 {{result shape [4, 8] does not match the expected [4, 3]}}
  %0 = wl.attention %q, %k, %v : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<6x3xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @mixed_types(%q: tensor<4x8xf32>, %k: tensor<6x8xf16>, %v: tensor<6x8xf32>) {
  // expected-error @+1 {{query, key, value and result must share one element type}}
  %0 = wl.attention %q, %k, %v : (tensor<4x8xf32>, tensor<6x8xf16>, tensor<6x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @integer(%q: tensor<4x8xi8>, %k: tensor<6x8xi8>, %v: tensor<6x8xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 64-bit float or 32-bit float or 16-bit float or bfloat16 type or f8E4M3FN type values, but got 'tensor<4x8xi8>'}}
  %0 = wl.attention %q, %k, %v : (tensor<4x8xi8>, tensor<6x8xi8>, tensor<6x8xi8>) -> tensor<4x8xi8>
  return
}

// -----

func.func @empty_keys(%q: tensor<4x8xf32>, %k: tensor<0x8xf32>, %v: tensor<0x8xf32>) {
  // expected-error @+1 {{needs at least one key and a non-empty head dimension, got Sk = 0, D = 8}}
  %0 = wl.attention %q, %k, %v : (tensor<4x8xf32>, tensor<0x8xf32>, tensor<0x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @infinite_scale(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x8xf32>) {
  // expected-error @+1 {{scale must be finite}}
  %0 = wl.attention %q, %k, %v {scale = 0x7FF0000000000000 : f64} : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @mask_type(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x8xf32>, %m: tensor<4x6xf16>) {
  // expected-error @+1 {{mask element type 'f16' differs from the query's 'f32'}}
  %0 = wl.attention %q, %k, %v mask %m : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>, tensor<4x6xf16>) -> tensor<4x8xf32>
  return
}

// -----

func.func @mask_shape(%q: tensor<2x4x8xf32>, %k: tensor<2x6x8xf32>, %v: tensor<2x6x8xf32>, %m: tensor<6x4xf32>) {
  // expected-error @+1 {{mask shape [6, 4] does not broadcast to the scores' shape [2, 4, 6]}}
  %0 = wl.attention %q, %k, %v mask %m : (tensor<2x4x8xf32>, tensor<2x6x8xf32>, tensor<2x6x8xf32>, tensor<6x4xf32>) -> tensor<2x4x8xf32>
  return
}

// -----

func.func @mask_rank(%q: tensor<4x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x8xf32>, %m: tensor<1x4x6xf32>) {
  // expected-error @+1 {{mask shape [1, 4, 6] does not broadcast to the scores' shape [4, 6]}}
  %0 = wl.attention %q, %k, %v mask %m : (tensor<4x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>, tensor<1x4x6xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @group_not_trailing(%q: tensor<4x2x6x8xf32>, %k: tensor<1x2x6x8xf32>, %v: tensor<1x2x6x8xf32>) {
  // expected-error @+1 {{batch dimensions differ: query [4, 2, 6, 8], key [1, 2, 6, 8], value [1, 2, 6, 8] (key and value may have 1 in trailing batch dimensions where the query has not: grouped-query attention)}}
  %0 = wl.attention %q, %k, %v : (tensor<4x2x6x8xf32>, tensor<1x2x6x8xf32>, tensor<1x2x6x8xf32>) -> tensor<4x2x6x8xf32>
  return
}

// -----

func.func @group_key_value_differ(%q: tensor<2x4x6x8xf32>, %k: tensor<2x1x6x8xf32>, %v: tensor<2x4x6x8xf32>) {
  // expected-error @+1 {{batch dimensions differ: query [2, 4, 6, 8], key [2, 1, 6, 8], value [2, 4, 6, 8]}}
  %0 = wl.attention %q, %k, %v : (tensor<2x4x6x8xf32>, tensor<2x1x6x8xf32>, tensor<2x4x6x8xf32>) -> tensor<2x4x6x8xf32>
  return
}

// -----

func.func @offset_without_causal(%q: tensor<1x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x8xf32>, %pos: index) {
  // expected-error @+1 {{an offset needs 'causal': it places the causal mask's diagonal}}
  %0 = wl.attention %q, %k, %v offset %pos : (tensor<1x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>, index) -> tensor<1x8xf32>
  return
}

// -----

// expected-note @+1 {{prior use here}}
func.func @offset_not_index(%q: tensor<1x8xf32>, %k: tensor<6x8xf32>, %v: tensor<6x8xf32>, %pos: i64) {
  // expected-error @+1 {{use of value '%pos' expects different type than prior uses: 'index' vs 'i64'}}
  %0 = wl.attention %q, %k, %v offset %pos {causal} : (tensor<1x8xf32>, tensor<6x8xf32>, tensor<6x8xf32>, index) -> tensor<1x8xf32>
  return
}
