//===- Milp.cpp - A mixed-integer program solved by CBC -------------------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "planner/Milp.h"

#include "llvm/ADT/STLExtras.h"

#include <coin/Cbc_C_Interface.h>

#include <algorithm>
#include <chrono>

namespace fungible::planner {

Solved maximise(const Program &p, double timeLimit, double relativeGap) {
  int n = static_cast<int>(p.lower.size()), m = static_cast<int>(p.rows.size());
  // Column-major (CSC) matrix.
  std::vector<std::vector<std::pair<int, double>>> columns(n);
  for (auto [r, row] : llvm::enumerate(p.rows))
    for (auto [c, v] : row.terms)
      columns[c].push_back({static_cast<int>(r), v});
  std::vector<CoinBigIndex> start{0};
  std::vector<int> index;
  std::vector<double> value;
  for (const auto &column : columns) {
    for (auto [r, v] : column) {
      index.push_back(r);
      value.push_back(v);
    }
    start.push_back(static_cast<CoinBigIndex>(index.size()));
  }
  std::vector<double> rowLower, rowUpper;
  for (const Program::Row &row : p.rows) {
    rowLower.push_back(row.lower);
    rowUpper.push_back(row.upper);
  }
  Cbc_Model *model = Cbc_newModel();
  Cbc_loadProblem(model, n, m, start.data(), index.data(), value.data(),
                  p.lower.data(), p.upper.data(), p.cost.data(),
                  rowLower.data(), rowUpper.data());
  for (int c = 0; c < n; ++c)
    if (p.integer[c])
      Cbc_setInteger(model, c);
  Cbc_setObjSense(model, -1);
  Cbc_setLogLevel(model, 0);
  Cbc_setMaximumSeconds(model, timeLimit);
  if (relativeGap > 0)
    Cbc_setAllowableFractionGap(model, relativeGap);
  auto begin = std::chrono::steady_clock::now();
  Cbc_solve(model);
  Solved s;
  s.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin)
          .count();
  s.optimal = Cbc_isProvenOptimal(model);
  s.infeasible = Cbc_isProvenInfeasible(model);
  s.stopped = !s.optimal && !s.infeasible;
  if (!s.infeasible) {
    s.objective = Cbc_getObjValue(model);
    // The bound CBC proved (above the objective when maximising).
    s.bound = std::max(s.objective, Cbc_getBestPossibleObjValue(model));
    const double *x = Cbc_getColSolution(model);
    if (x)
      s.x.assign(x, x + n);
  }
  Cbc_deleteModel(model);
  return s;
}

const char *cbcVersion() { return Cbc_getVersion(); }

} // namespace fungible::planner
