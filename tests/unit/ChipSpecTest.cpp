//===- ChipSpecTest.cpp - Reading chip specs --------------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the chip-spec reader: every shipped spec loads with its
// published figures, and each kind of bad spec is rejected with the JSON
// path of the offending field.
//
//===----------------------------------------------------------------------===//

#include "targets/PluginAPI/ChipSpec.h"

#include "llvm/Support/JSON.h"

#include "gtest/gtest.h"

#include <string>

using namespace fungible;

namespace {

std::string specPath(llvm::StringRef id) {
  return std::string(FUNGIBLE_SPECS_DIR) + "/" + id.str() + ".json";
}

/// The error message of `spec`, or "" when it parsed.
std::string errorOf(llvm::Expected<ChipSpec> spec) {
  if (spec)
    return "";
  return llvm::toString(spec.takeError());
}

/// A valid spec as a JSON value, to break one field at a time.
llvm::json::Value validSpec() {
  auto text = R"({
    "id": "x1", "name": "X1", "family": "gpu",
    "compute": {"matrix_tflops": {"bf16": {"value": 100, "source": "S"}},
                "vector_tflops": {"f32": {"value": 10, "source": "S"}}},
    "memory": {"capacity_gb": {"value": 8, "source": "S"},
               "bandwidth_gbps": {"value": 500, "source": "S"},
               "on_chip_mb": {"value": 4, "source": "S"}},
    "units": {"count": {"value": 8, "source": "S"}, "name": "SM"},
    "power_watts": {"value": 100, "source": "S"},
    "price_per_hour": {"value": 1, "source": "S"},
    "links": {"family_gbps": {"value": 100, "source": "S"},
              "host_gbps": {"value": 32, "source": "unsourced", "note": "PCIe 4"}},
    "overheads": {"launch_us": {"value": 3, "source": "S"}}
  })";
  return llvm::cantFail(llvm::json::parse(text));
}

std::string parse(const llvm::json::Value &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  return errorOf(parseChipSpec(text, "test.json"));
}

TEST(ChipSpec, EveryShippedSpecLoads) {
  for (const char *id : {"h100", "h200", "b200", "tpu-v5e", "tpu-v5p",
                         "tpu-v6e", "trn1", "trn2", "cpu-host"}) {
    llvm::Expected<ChipSpec> spec = loadChipSpec(specPath(id));
    ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
    EXPECT_EQ(spec->id, id);
  }
}

TEST(ChipSpec, H100FiguresAndSources) {
  llvm::Expected<ChipSpec> spec = loadChipSpec(specPath("h100"));
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  EXPECT_EQ(spec->family, ChipFamily::GPU);
  EXPECT_DOUBLE_EQ(spec->matrixTflops["bf16"].value, 989);
  EXPECT_EQ(spec->matrixTflops["bf16"].source, "N2,N7");
  EXPECT_DOUBLE_EQ(spec->matrixTflops["f8"].value, 1979);
  EXPECT_DOUBLE_EQ(spec->vectorTflops["f32"].value, 66.9);
  EXPECT_DOUBLE_EQ(spec->memoryGBps.value, 3350);
  EXPECT_DOUBLE_EQ(spec->units.value, 132);
  EXPECT_DOUBLE_EQ(spec->dollarsPerHour.value, 6.88);
  EXPECT_DOUBLE_EQ(spec->params["shared_mem_kb_per_sm"].value, 228);
}

TEST(ChipSpec, FamiliesAndTileParams) {
  llvm::Expected<ChipSpec> v6e = loadChipSpec(specPath("tpu-v6e"));
  llvm::Expected<ChipSpec> trn2 = loadChipSpec(specPath("trn2"));
  ASSERT_TRUE(v6e && trn2);
  EXPECT_EQ(v6e->family, ChipFamily::TPU);
  EXPECT_DOUBLE_EQ(v6e->params["mxu_dim"].value, 256); // 256x256 on v6e
  EXPECT_EQ(trn2->family, ChipFamily::Trainium);
  EXPECT_DOUBLE_EQ(trn2->params["sbuf_partitions"].value, 128);
  EXPECT_DOUBLE_EQ(trn2->params["moving_free_max"].value, 512);
  EXPECT_DOUBLE_EQ(trn2->units.value, 8);
}

TEST(ChipSpec, UnsourcedFiguresAreListed) {
  llvm::Expected<ChipSpec> b200 = loadChipSpec(specPath("b200"));
  ASSERT_TRUE(static_cast<bool>(b200));
  std::vector<std::string> unsourced = b200->unsourcedFigures();
  ASSERT_FALSE(unsourced.empty());
  bool launch = false;
  for (const std::string &line : unsourced)
    launch |= llvm::StringRef(line).starts_with("overheads.launch_us (");
  EXPECT_TRUE(launch);
  llvm::Expected<ChipSpec> h100 = loadChipSpec(specPath("h100"));
  ASSERT_TRUE(static_cast<bool>(h100));
  // Only the PCIe host link, the idle power (the H200's measured share
  // assumed), the CUDA cores' efficiency and their loads' (the model's
  // assumptions until a GPU's measurements fit them) and the serial step
  // (the H200's fit assumed) are unsourced on the H100.
  std::vector<std::string> h100Unsourced = h100->unsourcedFigures();
  ASSERT_EQ(h100Unsourced.size(), 5u);
  llvm::StringRef expected[] = {
      "links.host_gbps", "params.idle_power_fraction", "params.load_efficiency",
      "params.serial_step_ns", "params.vector_efficiency"};
  for (llvm::StringRef name : expected)
    EXPECT_TRUE(llvm::any_of(h100Unsourced, [&](const std::string &line) {
      return llvm::StringRef(line).starts_with(name);
    })) << name.str();
}

TEST(ChipSpec, ValidSpecParses) { EXPECT_EQ(parse(validSpec()), ""); }

TEST(ChipSpec, MissingFieldNamesItsPath) {
  llvm::json::Value spec = validSpec();
  spec.getAsObject()->getObject("memory")->erase("bandwidth_gbps");
  EXPECT_EQ(parse(spec), "test.json: memory.bandwidth_gbps: missing field");
}

TEST(ChipSpec, NonPositivePeakIsRejected) {
  llvm::json::Value spec = validSpec();
  (*spec.getAsObject()
        ->getObject("compute")
        ->getObject("matrix_tflops")
        ->getObject("bf16"))["value"] = -1;
  EXPECT_EQ(parse(spec), "test.json: compute.matrix_tflops.bf16.value: must "
                         "be a number from 1e-06 to 1e+06, got -1");
  (*spec.getAsObject()
        ->getObject("compute")
        ->getObject("matrix_tflops")
        ->getObject("bf16"))["value"] = 0;
  EXPECT_NE(parse(spec).find("must be a number from 1e-06 to 1e+06, got 0"),
            std::string::npos);
}

// Found by mutating the shipped specs (#18): figures that passed "positive
// and finite" and then divided by zero or overflowed int64_t in the
// models. Each now fails at load time with its path and range.
TEST(ChipSpec, ImplausibleFiguresAreRejected) {
  auto with = [](llvm::StringRef group, llvm::StringRef key, double value) {
    llvm::json::Value spec = validSpec();
    llvm::json::Object *root = spec.getAsObject();
    if (group == "params") {
      (*root)["params"] = llvm::json::Object{
          {key, llvm::json::Object{{"value", value}, {"source", "S"}}}};
    } else {
      llvm::json::Object *o = root->getObject(group);
      (*o->getObject(key))["value"] = value;
    }
    return parse(spec);
  };
  EXPECT_EQ(with("params", "mxu_dim", 0.3),
            "test.json: params.mxu_dim.value: must be a whole number from 1 "
            "to 4096, got 0.3");
  EXPECT_EQ(with("params", "mxu_dim", 1e106),
            "test.json: params.mxu_dim.value: must be a whole number from 1 "
            "to 4096, got 1e+106");
  EXPECT_EQ(with("params", "sbuf_kb_per_partition", 1e308),
            "test.json: params.sbuf_kb_per_partition.value: must be a whole "
            "number from 1 to 1e+06, got 1e+308");
  EXPECT_EQ(with("params", "sm_arch", 90.5),
            "test.json: params.sm_arch.value: must be a whole number from 10 "
            "to 1000, got 90.5");
  // Switches of the sm_90a GEMM: 0 or 1.
  EXPECT_EQ(with("params", "wgmma_tma", 1), "");
  EXPECT_EQ(with("params", "wgmma_tma", 2),
            "test.json: params.wgmma_tma.value: must be a whole number from 0 "
            "to 1, got 2");
  EXPECT_EQ(with("params", "gemm_efficiency_bf16", 1.5),
            "test.json: params.gemm_efficiency_bf16.value: must be a number "
            "from 0.001 to 1, got 1.5");
  EXPECT_EQ(with("memory", "bandwidth_gbps", 1e-300),
            "test.json: memory.bandwidth_gbps.value: must be a number from "
            "1e-06 to 1e+06, got 1e-300");
  EXPECT_EQ(with("memory", "on_chip_mb", 1e308),
            "test.json: memory.on_chip_mb.value: must be a number from 1e-06 "
            "to 1e+06, got 1e+308");
  EXPECT_EQ(with("units", "count", 2.5),
            "test.json: units.count.value: must be a whole number from 1 to "
            "1e+06, got 2.5");
  // The cpu model's costs per unit: 0 (a term the others explain) is one;
  // a negative cost is not.
  EXPECT_EQ(with("params", "host_ns_per_copy", 0), "");
  EXPECT_EQ(with("params", "host_ns_per_copy", -0.5),
            "test.json: params.host_ns_per_copy.value: must be a number from "
            "0 to 1e+09, got -0.5");
  // A model's measured mean error for a kind of kernel: 0 (exact) to 10.
  EXPECT_EQ(with("params", "measured_error_conv", 0), "");
  EXPECT_EQ(with("params", "measured_error_conv", -0.1),
            "test.json: params.measured_error_conv.value: must be a number "
            "from 0 to 10, got -0.1");
  EXPECT_EQ(with("params", "core_cache_kb", 1024.5),
            "test.json: params.core_cache_kb.value: must be a whole number "
            "from 1 to 1e+06, got 1024.5");
  // A plugin's own parameter: wide, but finite and positive.
  EXPECT_EQ(with("params", "my_plugin_figure", 1e6), "");
  EXPECT_NE(with("params", "my_plugin_figure", 1e300).find("1e-12 to 1e+12"),
            std::string::npos);
}

// Found by fuzzing (#18): a spec without the peaks its family's model
// reads estimated infinite times.
TEST(ChipSpec, PeaksTheModelsReadAreRequired) {
  llvm::json::Value spec = validSpec();
  llvm::json::Object *compute = spec.getAsObject()->getObject("compute");
  llvm::json::Object vector = *compute->getObject("vector_tflops");
  (*compute)["vector_tflops"] =
      llvm::json::Object{{"f16", (*vector.get("f32"))}};
  EXPECT_EQ(parse(spec), "test.json: compute.vector_tflops.f32: missing field "
                         "(every cost model prices vector work at the f32 "
                         "rate)");
  (*compute)["vector_tflops"] = std::move(vector);
  (*spec.getAsObject())["family"] = "cpu";
  EXPECT_EQ(parse(spec), "test.json: compute.matrix_tflops.f32: missing field "
                         "(the cpu cost model prices its GEMMs at this rate)");
  (*spec.getAsObject())["family"] = "trainium";
  EXPECT_NE(parse(spec).find("compute.matrix_tflops.f32: missing field"),
            std::string::npos);
  (*spec.getAsObject())["family"] = "tpu";
  EXPECT_EQ(parse(spec), "");
}

TEST(ChipSpec, UnknownFamilyIsRejected) {
  llvm::json::Value spec = validSpec();
  (*spec.getAsObject())["family"] = "fpga";
  EXPECT_EQ(parse(spec), "test.json: family: unknown family 'fpga', expected "
                         "gpu, tpu, trainium or cpu");
}

TEST(ChipSpec, NumberWithoutSourceIsRejected) {
  llvm::json::Value spec = validSpec();
  spec.getAsObject()->getObject("power_watts")->erase("source");
  EXPECT_EQ(parse(spec), "test.json: power_watts.source: missing field");
}

TEST(ChipSpec, UnsourcedNeedsANote) {
  llvm::json::Value spec = validSpec();
  spec.getAsObject()->getObject("links")->getObject("host_gbps")->erase("note");
  EXPECT_EQ(parse(spec), "test.json: links.host_gbps.note: an unsourced figure "
                         "must say what its value rests on");
}

TEST(ChipSpec, WrongTypesAreRejected) {
  llvm::json::Value spec = validSpec();
  (*spec.getAsObject()->getObject("units"))["count"] = 132;
  EXPECT_EQ(parse(spec), "test.json: units.count: expected an object");
  spec = validSpec();
  (*spec.getAsObject()->getObject("units")->getObject("count"))["value"] =
      "many";
  EXPECT_EQ(parse(spec), "test.json: units.count.value: expected a number");
}

TEST(ChipSpec, InvalidJsonAndMissingFile) {
  EXPECT_NE(errorOf(parseChipSpec("{\"id\": ", "bad.json"))
                .find("bad.json: invalid JSON"),
            std::string::npos);
  std::string missing = errorOf(loadChipSpec("/nonexistent/spec.json"));
  EXPECT_NE(missing.find("/nonexistent/spec.json: cannot read"),
            std::string::npos);
}

} // namespace
