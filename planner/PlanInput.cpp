//===- PlanInput.cpp - Reading a plan ---------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements parsePlan (Plan.h): the plan's JSON, checked field
// by field, every error with its JSON path (docs/Planner.md).
//
//===----------------------------------------------------------------------===//

#include "planner/Plan.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

#include <cmath>

using namespace llvm;

namespace fungible::planner {

namespace {

/// Reads one JSON object's fields, each error prefixed with its path.
class Reader {
public:
  Reader(StringRef file) : file(file.str()) {}

  /// The first error, if any.
  std::optional<std::string> error;

  bool fail(const Twine &path, const Twine &message) {
    if (!error)
      error = (file + ": " + path + ": " + message).str();
    return false;
  }

  /// Every key of `object` must be one of `known`.
  bool onlyKnown(const json::Object &object, const Twine &path,
                 ArrayRef<StringRef> known) {
    for (const auto &entry : object)
      if (!llvm::is_contained(known, StringRef(entry.first)))
        return fail(path.isTriviallyEmpty() ? Twine(entry.first.str())
                                            : path + "." + entry.first.str(),
                    "unknown field (expected one of " +
                        llvm::join(known, ", ") + ")");
    return true;
  }

  const json::Object *object(const json::Value *v, const Twine &path) {
    const json::Object *o = v ? v->getAsObject() : nullptr;
    if (!o)
      fail(path, "expected an object");
    return o;
  }

  /// A number in [lo, hi]; an integer when `integer`.
  bool number(const json::Value *v, const Twine &path, double &out, double lo,
              double hi, bool integer = false) {
    std::optional<double> d = v ? v->getAsNumber() : std::nullopt;
    if (!d || !std::isfinite(*d) || *d < lo || *d > hi ||
        (integer && *d != std::floor(*d)))
      return fail(path, formatv("expected {0} from {1} to {2}",
                                integer ? "an integer" : "a number",
                                format("%g", lo), format("%g", hi)));
    out = *d;
    return true;
  }

  /// A number for every period, or one number for all of them.
  bool perPeriod(const json::Value *v, const Twine &path, unsigned periods,
                 std::vector<double> &out, bool integer, double hi) {
    out.clear();
    if (const json::Array *a = v ? v->getAsArray() : nullptr) {
      if (a->size() != periods)
        return fail(path, formatv("expected {0} values (one per period), "
                                  "not {1}",
                                  periods, a->size()));
      for (auto [i, e] : llvm::enumerate(*a)) {
        double d = 0;
        if (!number(&e, path + "[" + Twine(i) + "]", d, 0, hi, integer))
          return false;
        out.push_back(d);
      }
      return true;
    }
    double d = 0;
    if (!number(v, path, d, 0, hi, integer))
      return false;
    out.assign(periods, d);
    return true;
  }

  bool string(const json::Value *v, const Twine &path, std::string &out) {
    std::optional<StringRef> s = v ? v->getAsString() : std::nullopt;
    if (!s || s->empty())
      return fail(path, "expected a non-empty string");
    out = s->str();
    return true;
  }

  std::string file;
};

/// The object's keys in sorted order (JSON objects have none of their own).
std::vector<std::string> keys(const json::Object &o) {
  std::vector<std::string> k;
  for (const auto &entry : o)
    k.push_back(entry.first.str());
  llvm::sort(k);
  return k;
}

} // namespace

Expected<PlanInput> parsePlan(StringRef text, StringRef path) {
  auto error = [&](const Twine &message) {
    return createStringError(inconvertibleErrorCode(), message);
  };
  Expected<json::Value> value = json::parse(text);
  if (!value)
    return error(path + ": " + toString(value.takeError()));
  Reader r(path);
  PlanInput plan;
  SmallString<128> dir(path);
  sys::path::remove_filename(dir);
  plan.baseDir = dir.str().str();
  const json::Object *root = r.object(&*value, "(top level)");
  if (!root)
    return error(*r.error);
  if (!r.onlyKnown(
          *root, "",
          {"horizon", "pools", "workloads", "scenarios", "objective", "risk"}))
    return error(*r.error);

  // horizon
  const json::Object *horizon = r.object(root->get("horizon"), "horizon");
  double periods = 0;
  if (!horizon ||
      !r.onlyKnown(*horizon, "horizon", {"periods", "hours_per_period"}) ||
      !r.number(horizon->get("periods"), "horizon.periods", periods, 1, 10000,
                true))
    return error(*r.error);
  plan.periods = static_cast<unsigned>(periods);
  if (const json::Value *h = horizon->get("hours_per_period"))
    if (!r.number(h, "horizon.hours_per_period", plan.hoursPerPeriod, 1e-6,
                  1e6))
      return error(*r.error);
  if (plan.hoursPerPeriod <= 0)
    return error(path + ": horizon.hours_per_period: expected a number > 0");

  // pools
  const json::Object *pools = r.object(root->get("pools"), "pools");
  if (!pools)
    return error(*r.error);
  if (pools->empty())
    return error(path + ": pools: expected at least one pool");
  for (const std::string &chip : keys(*pools)) {
    std::string where = "pools." + chip;
    const json::Object *o = r.object(pools->get(chip), where);
    if (!o || !r.onlyKnown(*o, where,
                           {"contracted", "price_per_hour", "buy", "spot"}))
      return error(*r.error);
    Pool pool;
    pool.chip = chip;
    if (!r.perPeriod(o->get("contracted"), where + ".contracted", plan.periods,
                     pool.contracted, /*integer=*/true, /*hi=*/1e9))
      return error(*r.error);
    if (const json::Value *p = o->get("price_per_hour")) {
      double price = 0;
      if (!r.number(p, where + ".price_per_hour", price, 0, 1e9))
        return error(*r.error);
      pool.pricePerHour = price;
    }
    if (const json::Value *b = o->get("buy")) {
      const json::Object *buy = r.object(b, where + ".buy");
      if (!buy ||
          !r.onlyKnown(
              *buy, where + ".buy",
              {"lead_time", "price_per_hour", "max", "min_commitment"}) ||
          !r.number(buy->get("price_per_hour"), where + ".buy.price_per_hour",
                    pool.buyPricePerHour, 0, 1e9) ||
          !r.number(buy->get("max"), where + ".buy.max", pool.maxBuy, 0, 1e9,
                    true))
        return error(*r.error);
      double lead = 0;
      if (const json::Value *l = buy->get("lead_time"))
        if (!r.number(l, where + ".buy.lead_time", lead, 0, plan.periods - 1,
                      true))
          return error(*r.error);
      double commitment = 1;
      if (const json::Value *c = buy->get("min_commitment"))
        if (!r.number(c, where + ".buy.min_commitment", commitment, 1, 1e6,
                      true))
          return error(*r.error);
      pool.canBuy = true;
      pool.leadTime = static_cast<unsigned>(lead);
      pool.minCommitment = static_cast<unsigned>(commitment);
    }
    if (const json::Value *sv = o->get("spot")) {
      const json::Object *spot = r.object(sv, where + ".spot");
      if (!spot ||
          !r.onlyKnown(*spot, where + ".spot",
                       {"price_per_hour", "max", "availability"}) ||
          !r.number(spot->get("price_per_hour"), where + ".spot.price_per_hour",
                    pool.spotPricePerHour, 0, 1e9) ||
          !r.number(spot->get("max"), where + ".spot.max", pool.spotMax, 0, 1e9,
                    true))
        return error(*r.error);
      if (const json::Value *a = spot->get("availability"))
        if (!r.number(a, where + ".spot.availability", pool.spotAvailability, 0,
                      1))
          return error(*r.error);
      pool.hasSpot = true;
    }
    plan.pools.push_back(std::move(pool));
  }

  // workloads
  const json::Object *workloads = r.object(root->get("workloads"), "workloads");
  if (!workloads)
    return error(*r.error);
  if (workloads->empty())
    return error(path + ": workloads: expected at least one workload");
  double shares = 0;
  for (const std::string &name : keys(*workloads)) {
    std::string where = "workloads." + name;
    const json::Object *o = r.object(workloads->get(name), where);
    if (!o)
      return error(*r.error);
    Workload w;
    w.name = name;
    std::string kind;
    if (!r.string(o->get("kind"), where + ".kind", kind))
      return error(*r.error);
    if (kind != "serve" && kind != "train")
      return error(path + ": " + where + ".kind: expected serve or train");
    w.kind = kind == "serve" ? Workload::Serve : Workload::Train;
    SmallVector<StringRef> known = {"kind",      "model", "units_per_step",
                                    "min_share", "chips", "rates"};
    if (w.kind == Workload::Serve)
      known.append({"demand", "value_per_unit", "latency_bound_s"});
    else
      known.append({"steps", "deadline", "penalty_per_step"});
    if (!r.onlyKnown(*o, where, known))
      return error(*r.error);
    if (const json::Value *m = o->get("model")) {
      if (!r.string(m, where + ".model", w.model))
        return error(*r.error);
      if (sys::path::is_relative(w.model) && !plan.baseDir.empty()) {
        SmallString<128> full(plan.baseDir);
        sys::path::append(full, w.model);
        w.model = full.str().str();
      }
    }
    if (const json::Value *u = o->get("units_per_step"))
      if (!r.number(u, where + ".units_per_step", w.unitsPerStep, 1e-9, 1e15))
        return error(*r.error);
    if (const json::Value *s = o->get("min_share"))
      if (!r.number(s, where + ".min_share", w.minShare, 0, 1))
        return error(*r.error);
    shares += w.minShare;
    if (const json::Value *c = o->get("chips")) {
      const json::Array *a = c->getAsArray();
      if (!a || a->empty())
        return error(path + ": " + where +
                     ".chips: expected a non-empty array of chip names");
      for (auto [i, e] : llvm::enumerate(*a)) {
        std::string chip;
        if (!r.string(&e, where + ".chips[" + Twine(i) + "]", chip))
          return error(*r.error);
        w.chips.push_back(chip);
      }
    }
    if (const json::Value *rv = o->get("rates")) {
      const json::Object *rates = r.object(rv, where + ".rates");
      if (!rates)
        return error(*r.error);
      for (const std::string &chip : keys(*rates)) {
        double rate = 0;
        if (!r.number(rates->get(chip), where + ".rates." + chip, rate, 0,
                      1e15))
          return error(*r.error);
        w.rates[chip] = rate;
      }
    }
    if (w.kind == Workload::Serve) {
      if (!r.perPeriod(o->get("demand"), where + ".demand", plan.periods,
                       w.demand, /*integer=*/false, /*hi=*/1e24) ||
          !r.number(o->get("value_per_unit"), where + ".value_per_unit",
                    w.valuePerUnit, 0, 1e15))
        return error(*r.error);
      if (const json::Value *l = o->get("latency_bound_s")) {
        double bound;
        if (!r.number(l, where + ".latency_bound_s", bound, 1e-9, 1e9))
          return error(*r.error);
        w.latencyBound = bound;
      }
    } else {
      double deadline = plan.periods - 1;
      if (!r.number(o->get("steps"), where + ".steps", w.steps, 0, 1e18))
        return error(*r.error);
      if (const json::Value *d = o->get("deadline"))
        if (!r.number(d, where + ".deadline", deadline, 0, plan.periods - 1,
                      true))
          return error(*r.error);
      w.deadline = static_cast<unsigned>(deadline);
      if (const json::Value *p = o->get("penalty_per_step")) {
        double penalty = 0;
        if (!r.number(p, where + ".penalty_per_step", penalty, 0, 1e15))
          return error(*r.error);
        w.penaltyPerStep = penalty;
      }
    }
    plan.workloads.push_back(std::move(w));
  }
  if (shares > 1 + 1e-9)
    return error(formatv("{0}: workloads: the min_share floors add up to {1}, "
                         "more than the whole envelope",
                         path, shares)
                     .str());

  // scenarios
  if (const json::Value *sv = root->get("scenarios")) {
    const json::Object *scenarios = r.object(sv, "scenarios");
    if (!scenarios)
      return error(*r.error);
    if (scenarios->empty())
      return error(path + ": scenarios: expected at least one scenario");
    double total = 0;
    for (const std::string &name : keys(*scenarios)) {
      std::string where = "scenarios." + name;
      const json::Object *o = r.object(scenarios->get(name), where);
      if (!o ||
          !r.onlyKnown(*o, where, {"probability", "demand_scale", "demand"}))
        return error(*r.error);
      Scenario s;
      s.name = name;
      if (!r.number(o->get("probability"), where + ".probability",
                    s.probability, 0, 1))
        return error(*r.error);
      total += s.probability;
      if (const json::Value *d = o->get("demand_scale"))
        if (!r.number(d, where + ".demand_scale", s.demandScale, 0, 1e9))
          return error(*r.error);
      if (const json::Value *dv = o->get("demand")) {
        const json::Object *demand = r.object(dv, where + ".demand");
        if (!demand)
          return error(*r.error);
        for (const std::string &w : keys(*demand)) {
          auto it = llvm::find_if(
              plan.workloads, [&](const Workload &x) { return x.name == w; });
          if (it == plan.workloads.end() || it->kind != Workload::Serve)
            return error(path + ": " + where + ".demand." + w +
                         ": not a serving workload of the plan");
          if (!r.perPeriod(demand->get(w), where + ".demand." + w, plan.periods,
                           s.demand[w], /*integer=*/false, /*hi=*/1e24))
            return error(*r.error);
        }
      }
      plan.scenarios.push_back(std::move(s));
    }
    if (std::abs(total - 1) > 1e-9)
      return error(formatv("{0}: scenarios: the probabilities add up to {1}, "
                           "not 1",
                           path, total)
                       .str());
  } else {
    plan.scenarios.push_back(Scenario{"base", 1, 1, {}});
  }

  if (const json::Value *ov = root->get("objective")) {
    std::string objective;
    if (!r.string(ov, "objective", objective))
      return error(*r.error);
    if (objective != "value" && objective != "cost")
      return error(path + ": objective: expected value (expected value minus "
                          "cost) or cost (serve all demand at the least cost)");
    plan.minimizeCost = objective == "cost";
  }

  if (const json::Value *rv = root->get("risk")) {
    const json::Object *risk = r.object(rv, "risk");
    std::string measure;
    if (!risk || !r.onlyKnown(*risk, "risk", {"measure", "level", "weight"}) ||
        !r.string(risk->get("measure"), "risk.measure", measure))
      return error(*r.error);
    if (measure == "cvar")
      plan.risk.measure = PlanInput::Risk::CVaR;
    else if (measure == "quantile")
      plan.risk.measure = PlanInput::Risk::Quantile;
    else if (measure == "none")
      plan.risk.measure = PlanInput::Risk::None;
    else
      return error(path + ": risk.measure: expected cvar (the expected profit "
                          "of the worst scenarios), quantile (serve all "
                          "demand with that probability) or none");
    if (const json::Value *l = risk->get("level"))
      if (!r.number(l, "risk.level", plan.risk.level, 0, 1))
        return error(*r.error);
    if (plan.risk.measure == PlanInput::Risk::CVaR && plan.risk.level >= 1)
      return error(path + ": risk.level: a cvar level is below 1 (the worst "
                          "1 - level of the probability)");
    if (const json::Value *w = risk->get("weight")) {
      if (plan.risk.measure != PlanInput::Risk::CVaR)
        return error(path + ": risk.weight: only a cvar risk has a weight");
      if (!r.number(w, "risk.weight", plan.risk.weight, 0, 1))
        return error(*r.error);
    }
  }
  return plan;
}

} // namespace fungible::planner
