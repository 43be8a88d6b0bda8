//===- PlacementBruteForce.h - The tests' reference solver ------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares bruteForce, which tries every assignment of a small
// placement problem: the reference the solvers are tested against. Test
// support only, never part of the product.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_TESTS_UNIT_PLACEMENTBRUTEFORCE_H
#define FUNGIBLE_TESTS_UNIT_PLACEMENTBRUTEFORCE_H

#include "placement/Placement.h"

namespace fungible::placement {

/// Tries every assignment (numTargets^numKernels): the tests' reference.
/// `problem` must verify. With a budget, only placements within it count;
/// none: objective kInfeasible and an empty assignment.
Solution bruteForce(const Problem &problem, const Budget &budget = {});

} // namespace fungible::placement

#endif // FUNGIBLE_TESTS_UNIT_PLACEMENTBRUTEFORCE_H
