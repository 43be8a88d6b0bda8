// RUN: fungible-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{'wl.target' must be a non-empty string, not 3 : i64}}
func.func @target() attributes {wl.target = 3} {
  return
}

// -----

// expected-error @+1 {{'wl.cheapest' must be a non-empty string, not ""}}
func.func @cheapest() attributes {wl.cheapest = ""} {
  return
}

// -----

// expected-error @+1 {{'wl.estimates' must be a dictionary of chip -> estimate dictionary, not {h100 = 1.000000e+00 : f64}}}
func.func @estimates() attributes {wl.estimates = {h100 = 1.0 : f64}} {
  return
}

// -----

// expected-error @+1 {{'wl.placement' must be a dictionary, not "tree"}}
func.func @placement() attributes {wl.placement = "tree"} {
  return
}

// -----

// expected-error @+1 {{'wl.compiled' must be an array of chip names, not ["h100", 2]}}
func.func @compiled() attributes {wl.compiled = ["h100", 2]} {
  return
}

// -----

// expected-error @+1 {{'wl.not_compiled' must be a dictionary of chip -> reason, not {trn2 = 1 : i64}}}
func.func @not_compiled() attributes {wl.not_compiled = {trn2 = 1}} {
  return
}

// -----

// expected-error @+1 {{'wl.kernel_fingerprint' must be a non-empty string, not unit}}
module @variant attributes {wl.kernel = "k", wl.kernel_fingerprint} {
}

// -----

// expected-error @+1 {{unknown attribute 'wl.targte' of the wl dialect}}
func.func @typo() attributes {wl.targte = "h100"} {
  return
}

// -----

// expected-error @+1 {{'wl.schedule' must be a dictionary {device, position: i64 >= 0; start, end: seconds, start <= end}, not {device = 0 : i64, end = 1.000000e+00 : f64, position = 0 : i64, start = 2.000000e+00 : f64}}}
func.func @schedule_backwards() attributes {wl.schedule = {device = 0, position = 0, start = 2.0, end = 1.0}} {
  return
}

// -----

// expected-error @+1 {{'wl.schedule' must be a dictionary}}
func.func @schedule_missing() attributes {wl.schedule = {device = 0, start = 0.0, end = 1.0}} {
  return
}
