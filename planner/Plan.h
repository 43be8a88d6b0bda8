//===- Plan.h - The compute-envelope planner --------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares the envelope planner: which chips to buy and, per
// period and demand scenario, how many chips of each pool go to each
// workload (docs/Planner.md has the input, every equation and the output).
//
//  - parsePlan reads the plan (JSON); every error names its JSON path.
//  - workloadRates costs a workload's model on each chip with Fungible's
//    own cost models (the same estimates as fungible-cost): step time,
//    chips per replica (memory), units per second per chip.
//  - solvePlan builds the two-stage stochastic program (integer purchases
//    here and now; per scenario and period, continuous chip allocations,
//    units served, training shortfall) and solves it exactly with COIN-OR
//    CBC; then the same problem with every workload pinned to its best
//    chip (the value of fungibility) and each scenario alone (the value of
//    perfect information).
//  - writePlanTable / writePlanJson print the result.
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_PLANNER_PLAN_H
#define FUNGIBLE_PLANNER_PLAN_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace fungible {
class Target;
namespace runtime {
struct PreparedModel;
} // namespace runtime
} // namespace fungible

namespace fungible::planner {

/// A pool of one chip: what is contracted per period, its price, and what
/// can still be bought.
struct Pool {
  std::string chip;
  /// Chips contracted in each period.
  std::vector<double> contracted;
  /// USD per chip-hour of the contracted chips (default: the chip spec's).
  std::optional<double> pricePerHour;
  /// Buying: chips bought in period t are there from t on, to the end of
  /// the horizon, and are paid for from t on. Only from period `leadTime`
  /// on, at most `max` in all.
  bool canBuy = false;
  unsigned leadTime = 0;
  /// A chip bought is paid for at least this many periods, even past the
  /// horizon's end.
  unsigned minCommitment = 1;
  double buyPricePerHour = 0;
  double maxBuy = 0;
  /// Spot (preemptible) chips: rented per period once the scenario is
  /// known, at most `spotMax` x `spotAvailability` (the share of them one
  /// can count on getting), paid for only when rented.
  bool hasSpot = false;
  double spotPricePerHour = 0, spotMax = 0, spotAvailability = 1;
};

struct Workload {
  std::string name;
  enum Kind { Serve, Train } kind = Serve;
  /// The model (linalg, TOSA or wl), resolved against the plan's folder.
  std::string model;
  /// Units one step of the model produces (batch x tokens, images);
  /// training counts steps (1).
  double unitsPerStep = 1;
  /// serve: units demanded per period (before scenarios); value per unit.
  std::vector<double> demand;
  double valuePerUnit = 0;
  /// train: steps needed by the end of period `deadline`, and the price of
  /// each step short (none: the deadline is hard).
  double steps = 0;
  unsigned deadline = 0;
  std::optional<double> penaltyPerStep;
  /// Its share of the envelope's chips in every period (a floor).
  double minShare = 0;
  /// The chips it may use (empty: all).
  std::vector<std::string> chips;
  /// Measured rates, units per second per chip, in place of the model's.
  std::map<std::string, double> rates;
  /// serve: the longest a step may take (seconds); a chip whose step takes
  /// longer cannot serve it.
  std::optional<double> latencyBound;
};

/// A demand scenario: its probability and how it changes the serving
/// demand (a scale, or a workload's whole curve).
struct Scenario {
  std::string name;
  double probability = 1;
  double demandScale = 1;
  std::map<std::string, std::vector<double>> demand;
};

struct PlanInput {
  unsigned periods = 0;
  double hoursPerPeriod = 1;
  std::vector<Pool> pools;
  std::vector<Workload> workloads;
  std::vector<Scenario> scenarios;
  /// false: maximise expected value minus cost; true: minimise cost while
  /// serving all demand.
  bool minimizeCost = false;
  /// How the plan treats the cone's top (docs/Planner.md, "Risk").
  struct Risk {
    enum Measure {
      /// The expectation alone.
      None,
      /// Maximise (1 - weight) E[profit] + weight CVaR_level[profit]: the
      /// expected profit of the worst (1 - level) of the probability.
      CVaR,
      /// Serve all demand with probability at least `level`: every
      /// scenario from the least demand up to that share is served whole.
      Quantile
    } measure = None;
    double level = 0.9, weight = 1;
  } risk;
  /// The plan's folder (models are relative to it).
  std::string baseDir;
};

/// Reads a plan. Errors name the JSON path ("workloads.chat.demand[3]:
/// expected a number >= 0").
llvm::Expected<PlanInput> parsePlan(llvm::StringRef text, llvm::StringRef path);

/// The expected value of the worst (1 - level) of the probability of
/// `values` (a distribution over scenarios, probabilities adding up to 1):
/// the lower tail, splitting the scenario at the boundary.
double conditionalValueAtRisk(llvm::ArrayRef<double> values,
                              llvm::ArrayRef<double> probabilities,
                              double level);

/// What one chip of a pool does for a workload.
struct Rate {
  std::string workload, chip;
  bool feasible = false;
  /// Why not, when infeasible.
  std::string reason;
  /// Seconds per step of one replica, chips per replica (memory), units
  /// per second per chip, USD per unit at the price of one more chip-hour
  /// (the pool's buying price where it can buy, else its price).
  double stepSeconds = 0;
  unsigned chipsPerReplica = 1;
  double unitsPerSecond = 0;
  double dollarsPerUnit = 0;
  /// "model" (Fungible's estimates) or "given" (the plan's rates).
  std::string source;
};

/// The workload's rate on each of `chips` (targets of the pools' chips,
/// in pool order) from its prepared model: a step is every kernel on one
/// chip, one after another, as the chip's cost model estimates it; a
/// replica has as many chips as its arguments and every kernel's results
/// need memory (its chips split the memory, not the time).
std::vector<Rate> workloadRates(const Workload &workload,
                                runtime::PreparedModel &model,
                                llvm::ArrayRef<const Target *> chips,
                                llvm::ArrayRef<double> pricesPerHour);

/// A rate given in the plan (units per second per chip) for `chip`.
Rate givenRate(const Workload &workload, llvm::StringRef chip,
               double unitsPerSecond, double pricePerHour);

struct SolveOptions {
  double timeLimitSeconds = 60;
  /// Stop once the plan is within this fraction of CBC's bound (0: prove
  /// it optimal). The result reports the gap it reached.
  double relativeGap = 0;
  /// Also solve the pinned and the per-scenario problems.
  bool values = true;
};

struct PlanResult {
  struct Purchase {
    std::string pool;
    unsigned period;
    double chips;
  };
  struct Allocation {
    std::string scenario;
    unsigned period;
    std::string pool, workload;
    double chips;
  };
  struct Capacity {
    std::string scenario;
    unsigned period;
    std::string pool;
    /// Contracted, bought and rented on the spot market; given out.
    double chips, used, spot;
  };
  struct Served {
    std::string scenario;
    unsigned period;
    std::string workload;
    double units, demand;
  };
  struct Training {
    std::string scenario, workload;
    double steps, needed;
  };
  struct PerScenario {
    std::string name;
    double probability, value, cost, unmet;
    /// Served whole because of a quantile risk setting.
    bool servedWhole = false;
  };
  std::vector<Purchase> purchases;
  std::vector<Capacity> capacity;
  std::vector<Allocation> allocations;
  std::vector<Served> served;
  std::vector<Training> training;
  std::vector<PerScenario> scenarios;
  std::vector<Rate> rates;
  double expectedCost = 0, expectedValue = 0, objective = 0;
  /// CVaR at the risk level of the scenarios' profit (value - cost): the
  /// expected profit of the worst (1 - level) of the probability (also
  /// reported without a risk setting, at level 0.9).
  double cvar = 0;
  /// Pinned to each workload's best chip: how much worse, in dollars of
  /// the objective and in expected units served; the pinned chips.
  struct {
    bool solved = false;
    double dollars = 0, unitsServed = 0;
    std::map<std::string, std::string> pinned;
    std::string status;
  } fungibility;
  /// Each scenario known in advance: how much better, in dollars.
  struct {
    bool solved = false;
    double dollars = 0;
  } perfectInformation;
  struct {
    /// "optimal", "within the gap" (--gap) or "time limit"; the gap to
    /// CBC's bound, a fraction of the objective.
    std::string name, status;
    double gap = 0, seconds = 0;
  } solver;
};

/// Solves `plan` with `rates` (every workload x pool pair, in any order);
/// a pool without a price costs nothing (the tool sets the chip spec's).
/// Errors: a workload that no allowed chip can run; a training that cannot
/// finish by its deadline even with every chip (named); an infeasible
/// problem; CBC's failure.
llvm::Expected<PlanResult> solvePlan(const PlanInput &plan,
                                     llvm::ArrayRef<Rate> rates,
                                     const SolveOptions &options = {});

/// A readable plan (the default output); the JSON one (docs/Planner.md).
void writePlanTable(const PlanInput &plan, const PlanResult &result,
                    llvm::raw_ostream &os);
void writePlanJson(const PlanInput &plan, const PlanResult &result,
                   llvm::raw_ostream &os);

/// An SVG picture of `scenario`'s allocation: a panel per pool, the
/// periods along it, the chips given to each workload stacked (a colour per
/// workload, in a legend), the pool's chips as a line above them.
/// Errors: a scenario the plan does not have.
llvm::Error writePlanSvg(const PlanInput &plan, const PlanResult &result,
                         llvm::StringRef scenario, llvm::raw_ostream &os);

/// What Kueue needs to know of a pool's chip: its family ("gpu", "tpu",
/// "trainium", "cpu") and, for a CPU, its cores per chip.
struct KueueChip {
  std::string family;
  unsigned cores = 1;
};

/// Writes the Kubernetes manifests that enact `scenario`'s allocation in
/// `period` with Kueue (v1beta2) into `dir`: one ResourceFlavor per pool's
/// chip (the node labels the clouds give that accelerator), one Cohort,
/// one ClusterQueue per workload in it (its chips of the period as
/// `nominalQuota` per flavor, whole chips by largest remainder within each
/// pool; the rest of the pool as `borrowingLimit`, all of its quota as
/// `lendingLimit`, so unused quota flows between workloads at run time)
/// and one LocalQueue per workload in `ns`. Files: resourceflavors.yaml,
/// cohort.yaml, clusterqueues.yaml, localqueues.yaml. Errors: a period or
/// scenario the plan does not have, a directory that cannot be written.
llvm::Error writeKueueManifests(const PlanInput &plan, const PlanResult &result,
                                llvm::ArrayRef<KueueChip> chips,
                                unsigned period, llvm::StringRef scenario,
                                llvm::StringRef ns, llvm::StringRef dir);

} // namespace fungible::planner

#endif // FUNGIBLE_PLANNER_PLAN_H
