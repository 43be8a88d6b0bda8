//===- SpecExtremesTest.cpp - Cost models at the ends of the spec ranges --===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks that whatever passes the chip-spec reader cannot break a
// cost model (#18: mutated specs divided by zero and overflowed int64_t):
// every figure of every shipped spec is set, one at a time, to the lowest
// and the highest value its range allows, and every built-in model then
// estimates a set of kernels (GEMMs from tiny to huge, in every element
// type, elementwise and reductions) to a finite, non-negative time, energy
// and price.
//
//===----------------------------------------------------------------------===//

#include "targets/BuiltinTargets.h"
#include "targets/PluginAPI/ChipSpec.h"
#include "targets/PluginAPI/KernelInfo.h"
#include "targets/PluginAPI/Target.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace fungible;

namespace {

/// The paths (group, key) of every figure in `spec`, with its value.
std::vector<std::pair<std::string, std::string>>
figurePaths(const llvm::json::Object &spec) {
  std::vector<std::pair<std::string, std::string>> paths;
  auto walk = [&](const llvm::json::Object &o, const std::string &prefix,
                  auto &self) -> void {
    for (const auto &kv : o) {
      const llvm::json::Object *child = kv.second.getAsObject();
      if (!child)
        continue;
      std::string path =
          prefix.empty() ? kv.first.str() : prefix + "." + kv.first.str();
      if (child->get("value"))
        paths.push_back({path, ""});
      else
        self(*child, path, self);
    }
  };
  walk(spec, "", walk);
  return paths;
}

llvm::json::Object *figureAt(llvm::json::Object &root, llvm::StringRef path) {
  llvm::json::Object *o = &root;
  llvm::SmallVector<llvm::StringRef> parts;
  path.split(parts, '.');
  for (llvm::StringRef part : parts)
    o = o->getObject(part);
  return o;
}

TEST(SpecExtremes, EveryFigureAtEitherEndKeepsEstimatesFinite) {
  mlir::MLIRContext context;
  llvm::SmallVector<mlir::Type> types = {
      mlir::Float32Type::get(&context), mlir::BFloat16Type::get(&context),
      mlir::Float16Type::get(&context), mlir::Float8E4M3FNType::get(&context),
      mlir::IntegerType::get(&context, 8)};
  std::vector<KernelInfo> kernels;
  for (mlir::Type type : types)
    for (Gemm g : {Gemm{1, 1, 1, 1}, Gemm{1, 4096, 4096, 4096},
                   Gemm{64, 1 << 20, 1 << 20, 1 << 16}, Gemm{1, 7, 1, 9999}}) {
      KernelInfo k;
      k.kind = KernelKind::Contraction;
      k.gemms = {g};
      k.gemmFlops = 2.0 * g.batch * g.m * g.n * g.k;
      k.flops = k.gemmFlops * 1.01;
      k.bytesRead = 2.0 * g.batch * (double(g.m) * g.k + double(g.k) * g.n);
      k.bytesWritten = 2.0 * g.batch * g.m * g.n;
      k.elementType = type;
      k.tensorInputs = 2;
      kernels.push_back(k);
    }
  for (KernelKind kind : {KernelKind::Elementwise, KernelKind::Reduction,
                          KernelKind::DataMovement, KernelKind::Opaque})
    for (double elements : {0.0, 1.0, 1e12}) {
      KernelInfo k;
      k.kind = kind;
      k.flops = elements;
      k.bytesRead = 4 * elements;
      k.bytesWritten = 4 * elements;
      k.elementType = types.front();
      k.tensorInputs = 1;
      kernels.push_back(k);
    }

  unsigned checked = 0;
  for (llvm::StringRef id : {"h100", "h200", "b200", "tpu-v5e", "tpu-v5p",
                             "tpu-v6e", "trn1", "trn2", "cpu-host"}) {
    auto buffer = llvm::MemoryBuffer::getFile(std::string(FUNGIBLE_SPECS_DIR) +
                                              "/" + id.str() + ".json");
    ASSERT_TRUE(static_cast<bool>(buffer)) << id.str();
    llvm::json::Value shipped =
        llvm::cantFail(llvm::json::parse((*buffer)->getBuffer()));
    for (const auto &[path, unused] : figurePaths(*shipped.getAsObject())) {
      // The ends of the range: the reader says what they are.
      for (double probe : {-1.0, 1e300}) {
        llvm::json::Value spec = shipped;
        (*figureAt(*spec.getAsObject(), path))["value"] = probe;
        std::string text;
        llvm::raw_string_ostream(text) << spec;
        llvm::Expected<ChipSpec> rejected = parseChipSpec(text, "x.json");
        ASSERT_FALSE(static_cast<bool>(rejected)) << id.str() << " " << path;
        std::string message = llvm::toString(rejected.takeError());
        double lo = 0, hi = 0;
        size_t from = message.find(" from ");
        ASSERT_NE(from, std::string::npos) << message;
        ASSERT_EQ(sscanf(message.c_str() + from, " from %lf to %lf", &lo, &hi),
                  2)
            << message;
        double end = probe < 0 ? lo : hi;
        (*figureAt(*spec.getAsObject(), path))["value"] = end;
        text.clear();
        llvm::raw_string_ostream(text) << spec;
        llvm::Expected<ChipSpec> parsed = parseChipSpec(text, "x.json");
        ASSERT_TRUE(static_cast<bool>(parsed))
            << id.str() << " " << path << " = " << end << ": "
            << llvm::toString(parsed.takeError());
        std::unique_ptr<Target> target = createBuiltinTarget(*parsed);
        ASSERT_TRUE(target) << id.str();
        for (const KernelInfo &k : kernels) {
          CostEstimate e = target->estimate(k);
          if (!e.feasible)
            continue;
          EXPECT_TRUE(std::isfinite(e.seconds) && e.seconds >= 0 &&
                      std::isfinite(e.joules) && e.joules >= 0 &&
                      std::isfinite(e.dollars) && e.dollars >= 0)
              << id.str() << " " << path << " = " << end << ": " << e.seconds
              << " s, " << e.joules << " J, $" << e.dollars;
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 5000u);
}

} // namespace
