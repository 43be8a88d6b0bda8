// A model with a syntax error.ï™ŠŒ@ˆ“.concatŒˆ“.concat<urn.
f