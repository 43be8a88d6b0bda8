//===- Plot.cpp - The plan as a picture -------------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file implements writePlanSvg (Plan.h): the allocation over time,
// stacked by workload, one panel per pool, as SVG (no library needed; any
// browser shows it).
//
//===----------------------------------------------------------------------===//

#include "planner/Plan.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <map>

using namespace llvm;

namespace fungible::planner {

namespace {

/// Colour-blind-safe colours (Okabe-Ito), one per workload in turn.
const char *kColours[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                          "#56B4E9", "#D55E00", "#F0E442", "#000000"};

std::string xmlEscape(StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

std::string num(double v) { return formatv("{0}", format("%.4g", v)).str(); }

} // namespace

Error writePlanSvg(const PlanInput &plan, const PlanResult &result,
                   StringRef scenario, raw_ostream &os) {
  auto sc = llvm::find_if(
      plan.scenarios, [&](const Scenario &s) { return s.name == scenario; });
  if (sc == plan.scenarios.end())
    return createStringError(inconvertibleErrorCode(),
                             "no scenario named '" + scenario + "'");
  unsigned T = plan.periods, P = plan.pools.size(), W = plan.workloads.size();
  // chips[p][t][w] and capacity[p][t] of the scenario.
  std::map<std::string, unsigned> poolIndex, workloadIndex;
  for (auto [p, pool] : llvm::enumerate(plan.pools))
    poolIndex[pool.chip] = p;
  for (auto [w, workload] : llvm::enumerate(plan.workloads))
    workloadIndex[workload.name] = w;
  std::vector<double> chips(size_t(P) * T * W, 0), capacity(size_t(P) * T, 0);
  for (const PlanResult::Allocation &a : result.allocations)
    if (a.scenario == scenario)
      chips[(size_t(poolIndex[a.pool]) * T + a.period) * W +
            workloadIndex[a.workload]] += a.chips;
  for (const PlanResult::Capacity &c : result.capacity)
    if (c.scenario == scenario)
      capacity[size_t(poolIndex[c.pool]) * T + c.period] = c.chips;

  const double left = 70, right = 20, top = 50, panel = 150, gap = 40,
               width = 900, legend = 30;
  double plotWidth = width - left - right;
  double height = top + P * (panel + gap) + legend;
  double bar = plotWidth / std::max(1u, T);
  os << formatv("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" "
                "height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
                "font-family=\"sans-serif\" font-size=\"12\">\n",
                width, height);
  os << formatv("<title>fungible-plan: chips per period, scenario {0}"
                "</title>\n",
                xmlEscape(scenario));
  os << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  os << formatv("<text x=\"{0}\" y=\"24\" font-size=\"16\">Chips given to "
                "each workload per period ({1} h), scenario '{2}' (p = "
                "{3})</text>\n",
                left, num(plan.hoursPerPeriod), xmlEscape(scenario),
                num(sc->probability));
  for (unsigned p = 0; p < P; ++p) {
    double y0 = top + p * (panel + gap), bottom = y0 + panel;
    double most = 1;
    for (unsigned t = 0; t < T; ++t) {
      double stacked = 0;
      for (unsigned w = 0; w < W; ++w)
        stacked += chips[(size_t(p) * T + t) * W + w];
      most = std::max({most, capacity[size_t(p) * T + t], stacked});
    }
    auto yOf = [&](double v) { return bottom - v / most * panel; };
    os << formatv("<g class=\"pool\" id=\"pool-{0}\">\n",
                  xmlEscape(plan.pools[p].chip));
    os << formatv("<text x=\"{0}\" y=\"{1}\" font-weight=\"bold\">{2}"
                  "</text>\n",
                  left, y0 - 6, xmlEscape(plan.pools[p].chip));
    // Axes, with the top and bottom of the chip scale.
    os << formatv("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" "
                  "stroke=\"#444\"/>\n",
                  left, y0, bottom);
    os << formatv("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" "
                  "stroke=\"#444\"/>\n",
                  left, bottom, left + plotWidth);
    os << formatv("<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{2}</text>\n",
                  left - 6, y0 + 10, num(most));
    os << formatv("<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">0</text>\n",
                  left - 6, bottom);
    os << formatv("<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" "
                  "transform=\"rotate(-90 {0} {1})\">chips</text>\n",
                  left - 40, y0 + panel / 2);
    unsigned every = std::max(1u, T / 12);
    for (unsigned t = 0; t < T; t += every)
      os << formatv("<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" "
                    "fill=\"#444\">{2}</text>\n",
                    left + (t + 0.5) * bar, bottom + 14, t);
    // The stacked bars.
    for (unsigned t = 0; t < T; ++t) {
      double base = 0;
      for (unsigned w = 0; w < W; ++w) {
        double v = chips[(size_t(p) * T + t) * W + w];
        if (v <= 1e-9)
          continue;
        os << formatv("<rect class=\"allocation\" x=\"{0}\" y=\"{1}\" "
                      "width=\"{2}\" height=\"{3}\" fill=\"{4}\"><title>{5}, "
                      "period {6}: {7} chips</title></rect>\n",
                      left + t * bar + 0.5, yOf(base + v),
                      std::max(0.5, bar - 1), v / most * panel, kColours[w % 8],
                      xmlEscape(plan.workloads[w].name), t, num(v));
        base += v;
      }
    }
    // The pool's chips, as a step line.
    os << "<polyline class=\"capacity\" fill=\"none\" stroke=\"black\" "
          "stroke-dasharray=\"4 3\" points=\"";
    for (unsigned t = 0; t < T; ++t) {
      double y = yOf(capacity[size_t(p) * T + t]);
      os << formatv("{0},{1} {2},{1} ", left + t * bar, y,
                    left + (t + 1) * bar);
    }
    os << "\"/>\n</g>\n";
  }
  // The legend.
  double x = left, y = height - legend + 10;
  for (unsigned w = 0; w < W; ++w) {
    os << formatv("<rect class=\"legend\" x=\"{0}\" y=\"{1}\" width=\"12\" "
                  "height=\"12\" fill=\"{2}\"/><text x=\"{3}\" y=\"{4}\">{5}"
                  "</text>\n",
                  x, y, kColours[w % 8], x + 16, y + 11,
                  xmlEscape(plan.workloads[w].name));
    x += 30 + 8 * plan.workloads[w].name.size();
  }
  os << formatv("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" "
                "stroke=\"black\" stroke-dasharray=\"4 3\"/><text x=\"{3}\" "
                "y=\"{4}\">the pool's chips</text>\n",
                x, y + 6, x + 24, x + 30, y + 11);
  os << "</svg>\n";
  return Error::success();
}

} // namespace fungible::planner
