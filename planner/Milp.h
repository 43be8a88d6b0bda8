//===- Milp.h - A mixed-integer program solved by CBC -----------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the planner's linear program (columns and sparse rows
// built one at a time) and its solution by COIN-OR CBC, through CBC's C
// interface (Milp.cpp). Internal to the planner (Model.cpp builds it).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PLANNER_MILP_H
#define FUNGIBLE_PLANNER_MILP_H

#include <utility>
#include <vector>

namespace fungible::planner {

/// CBC's infinity for a bound.
constexpr double kUnbounded = 1e30;

/// A linear program in the making: columns with bounds, objective and
/// integrality; rows as sparse terms with bounds. Each column also has its
/// scenario (-1: the first stage, in every scenario) and its coefficient
/// in that scenario's profit (the objective weighs it by the scenario's
/// probability), which a CVaR risk setting needs.
struct Program {
  std::vector<double> lower, upper, cost;
  std::vector<char> integer;
  std::vector<int> scenario;
  std::vector<double> profit;
  struct Row {
    std::vector<std::pair<int, double>> terms;
    double lower, upper;
  };
  std::vector<Row> rows;

  int column(double lo, double hi, double c, bool isInteger = false) {
    lower.push_back(lo);
    upper.push_back(hi);
    cost.push_back(c);
    integer.push_back(isInteger);
    scenario.push_back(-1);
    profit.push_back(c);
    return static_cast<int>(lower.size()) - 1;
  }
  /// A second-stage column of scenario `s` (probability `pi`) adding
  /// `c` to its profit.
  int column(int s, double pi, double lo, double hi, double c) {
    int j = column(lo, hi, pi * c);
    scenario[j] = s;
    profit[j] = c;
    return j;
  }
  void row(std::vector<std::pair<int, double>> terms, double lo, double hi) {
    rows.push_back({std::move(terms), lo, hi});
  }
};

/// What CBC found: whether it proved the optimum or infeasibility or
/// stopped at its time limit, the objective, the bound it proved, the
/// seconds it took and the columns' values.
struct Solved {
  bool optimal = false, infeasible = false, stopped = false;
  double objective = 0, bound = 0, seconds = 0;
  std::vector<double> x;
};

/// Maximises `p` with CBC within `timeLimit` seconds, stopping within
/// `relativeGap` of the bound.
Solved maximise(const Program &p, double timeLimit, double relativeGap);

/// CBC's version.
const char *cbcVersion();

} // namespace fungible::planner

#endif // FUNGIBLE_PLANNER_MILP_H
