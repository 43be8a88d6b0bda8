//===- LaunchPlanTest.cpp - Launch plans for fungible-gpu-check -*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks the launch-plan parser (a valid plan, and each malformed
// line named with its line number) and the input values' conversions to
// bf16 and f16, against bit patterns worked out by hand.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/LaunchPlan.h"

#include "gtest/gtest.h"

#include <cstring>
#include <sstream>

using namespace fungible::cuda;

namespace {

std::optional<LaunchPlan> parse(const std::string &text, std::string &error) {
  std::istringstream in(text);
  return LaunchPlan::parse(in, "plan.txt", error);
}

constexpr const char *kPlan = R"(# fungible launch plan v1: @mm
module mm_kernel ../ptx/mm_kernel.ptx
buffer 0 bf16 2 257 129 input 1
buffer 1 f32 1 64
launch mm_kernel mm_kernel 302 1 1 256 1 1 0
arg index 0x100
arg bf16 0xff80   # -inf
arg memref 1
end
output 1
)";

TEST(LaunchPlan, ParsesBuffersLaunchesAndOutputs) {
  std::string error;
  std::optional<LaunchPlan> plan = parse(kPlan, error);
  ASSERT_TRUE(plan) << error;
  ASSERT_EQ(plan->modules.size(), 1u);
  EXPECT_EQ(plan->modules[0].second, "../ptx/mm_kernel.ptx");
  ASSERT_EQ(plan->buffers.size(), 2u);
  EXPECT_EQ(plan->buffers[0].getBytes(), 257u * 129u * 2u);
  EXPECT_EQ(plan->buffers[0].inputSalt, 1);
  EXPECT_FALSE(plan->buffers[1].inputSalt);
  ASSERT_EQ(plan->launches.size(), 1u);
  const PlanLaunch &launch = plan->launches[0];
  EXPECT_EQ(launch.grid[0], 302u);
  EXPECT_EQ(launch.block[0], 256u);
  ASSERT_EQ(launch.arguments.size(), 3u);
  EXPECT_EQ(launch.arguments[0].value, 256u);
  EXPECT_EQ(launch.arguments[1].type, "bf16");
  EXPECT_EQ(launch.arguments[1].value, 0xff80u);
  EXPECT_EQ(launch.arguments[2].type, "memref");
  EXPECT_EQ(launch.arguments[2].value, 1u);
  EXPECT_EQ(plan->outputs, std::vector<unsigned>{1});
}

TEST(LaunchPlan, ViewsAreWindowsOnBuffers) {
  // A 2x3x4 buffer; view 1 is its second 3x4 plane flattened (a collapse
  // of a subview), view 2 every other column of the first plane.
  std::string error;
  std::optional<LaunchPlan> plan = parse("module k k.ptx\n"
                                         "buffer 0 f16 3 2 3 4 input 1\n"
                                         "view 1 0 12 1 12 1\n"
                                         "view 2 0 0 2 3 2 4 2\n"
                                         "launch k k 1 1 1 1 1 1 0\n"
                                         "arg memref 1\narg memref 2\nend\n"
                                         "output 0\n",
                                         error);
  ASSERT_TRUE(plan) << error;
  ASSERT_EQ(plan->buffers.size(), 3u);
  const PlanBuffer &a = plan->buffers[1], &b = plan->buffers[2];
  EXPECT_EQ(a.viewOf, 0u);
  EXPECT_EQ(a.elementType, "f16");
  EXPECT_EQ(a.offset, 12);
  EXPECT_EQ(a.getStrides(), std::vector<std::int64_t>{1});
  EXPECT_EQ(b.sizes, (std::vector<std::int64_t>{3, 2}));
  EXPECT_EQ(b.getStrides(), (std::vector<std::int64_t>{4, 2}));
  // A buffer's strides are row-major.
  EXPECT_EQ(plan->buffers[0].getStrides(),
            (std::vector<std::int64_t>{12, 4, 1}));
  EXPECT_FALSE(plan->buffers[0].viewOf);
}

TEST(LaunchPlan, MalformedLinesAreNamed) {
  struct Case {
    std::string text, message;
  } cases[] = {
      {"frobnicate 1\n", "plan.txt:1: unknown directive 'frobnicate'"},
      {"buffer 1 f32 1 4\n", "plan.txt:1: buffer 1 out of order (next is 0)"},
      {"buffer 0 q7 1 4\n", "plan.txt:1: unknown element type 'q7'"},
      {"buffer 0 f32 2 4\n", "plan.txt:1: expected 2 non-negative sizes"},
      {"launch k k 1 1 1 1 1 1 0\n",
       "plan.txt:1: launch of 'k', which no 'module' line names"},
      {"module k k.ptx\nlaunch k k 1 1 1 1 1 1 0\narg memref 0\nend\n",
       "plan.txt:3: memref argument names buffer 0, which is not declared "
       "before the launch"},
      {"module k k.ptx\nlaunch k k 1 1 1 1 1 1 0\narg index 12z\nend\n",
       "plan.txt:3: '12z' is not a number"},
      {"module k k.ptx\nlaunch k k 1 1 1 1 1 1 0\noutput 0\n",
       "plan.txt:3: 'output' inside a launch (missing 'end')"},
      {"module k k.ptx\nlaunch k k 1 1 1 1 1 1 0\n",
       "plan.txt:2: the last launch has no 'end'"},
      {"buffer 0 f32 1 4\noutput 0\n", "plan.txt:2: the plan launches nothing"},
      // Views: their base, their extent, their place among the outputs.
      {"view 0 0 0 1 4 1\n",
       "plan.txt:1: view 0 of 0, which is not a buffer declared before it"},
      {"buffer 0 f32 1 8\nview 1 0 0 1 4 1\nview 2 1 0 1 2 1\n",
       "plan.txt:3: view 2 of 1, which is not a buffer declared before it"},
      {"buffer 0 f32 2 2 4\nview 1 0 5 1 4 1\n",
       "plan.txt:2: view 1 reaches element 8 of buffer 0, which has 8"},
      {"buffer 0 f32 1 8\nview 1 0 0 2 2 2\n",
       "plan.txt:2: expected 2 non-negative strides after the sizes"},
      {"buffer 0 f32 1 8\nview 1 0 0 1 8 1\noutput 1\n",
       "plan.txt:3: output 1 is a view: outputs are whole buffers"},
  };
  for (const Case &c : cases) {
    std::string error;
    EXPECT_FALSE(parse(c.text, error)) << c.text;
    EXPECT_EQ(error, c.message) << c.text;
  }
}

TEST(LaunchPlan, TensorMapsAreDescribedInnermostFirst) {
  // A 3 x 257 x 136 bf16 buffer and a view of its rows 8.. of plane 1 (a
  // 16-byte aligned start: (1 * 257 + 8) * 136 * 2 bytes); boxes of 1 x 128
  // x 64 (a 128-byte row: the 128-byte swizzle's widest) reach past the
  // 257 rows, where TMA reads zeros.
  std::string error;
  std::optional<LaunchPlan> plan = parse("module k k.ptx\n"
                                         "buffer 0 bf16 3 3 257 136 input 1\n"
                                         "view 1 0 36040 2 249 136 136 1\n"
                                         "launch k k 1 1 1 384 1 1 0\n"
                                         "arg tensormap 0 128 3 1 128 64\n"
                                         "arg tensormap 1 64 2 16 32\n"
                                         "end\noutput 0\n",
                                         error);
  ASSERT_TRUE(plan) << error;
  const PlanArgument &whole = plan->launches[0].arguments[0];
  EXPECT_EQ(whole.type, "tensormap");
  EXPECT_EQ(whole.swizzle, 128u);
  EXPECT_EQ(whole.box, (std::vector<std::int64_t>{1, 128, 64}));
  std::optional<TensorMapRequest> map = describeTensorMap(*plan, whole, error);
  ASSERT_TRUE(map) << error;
  // CU_TENSOR_MAP_DATA_TYPE_BFLOAT16, CU_TENSOR_MAP_SWIZZLE_128B.
  EXPECT_EQ(map->dataType, 9);
  EXPECT_EQ(map->swizzle, 3);
  EXPECT_EQ(map->byteOffset, 0u);
  EXPECT_EQ(map->dims, (std::vector<std::uint64_t>{136, 257, 3}));
  EXPECT_EQ(map->strides, (std::vector<std::uint64_t>{272, 257 * 272}));
  EXPECT_EQ(map->box, (std::vector<std::uint32_t>{64, 128, 1}));
  map = describeTensorMap(*plan, plan->launches[0].arguments[1], error);
  ASSERT_TRUE(map) << error;
  EXPECT_EQ(map->swizzle, 2);
  EXPECT_EQ(map->byteOffset, 36040u * 2);
  EXPECT_EQ(map->dims, (std::vector<std::uint64_t>{136, 249}));
  EXPECT_EQ(map->strides, std::vector<std::uint64_t>{272});
  EXPECT_EQ(map->box, (std::vector<std::uint32_t>{32, 16}));
}

TEST(LaunchPlan, TensorMapsTmaCannotTakeAreNamed) {
  const std::string head = "module k k.ptx\nbuffer 0 f16 2 64 64 input 1\n"
                           "launch k k 1 1 1 1 1 1 0\n";
  struct Case {
    std::string text, message;
  } cases[] = {
      {"arg tensormap 0 128 2 64\n", "plan.txt:4: expected 2 box sizes"},
      {"arg tensormap 0 128 6 1 1 1 1 1 1\n",
       "plan.txt:4: expected 'arg tensormap <buffer id> <swizzle bytes> "
       "<rank, at most 5> <box sizes>'"},
      {"arg tensormap 0 128 1 64\n",
       "plan.txt:4: tensor map of buffer 0: a box of rank 1 for a buffer of "
       "rank 2"},
      {"arg tensormap 0 48 2 64 64\n",
       "plan.txt:4: tensor map of buffer 0: swizzle 48 bytes: 0, 32, 64 or "
       "128"},
      {"arg tensormap 0 0 2 300 64\n",
       "plan.txt:4: tensor map of buffer 0: box size 300 of dimension 0: 1 "
       "to 256"},
      {"arg tensormap 0 64 2 64 64\n",
       "plan.txt:4: tensor map of buffer 0: a box row of 128 bytes is wider "
       "than its 64-byte swizzle"},
      {"arg tensormap 1 0 2 8 8\n",
       "plan.txt:4: tensormap argument names buffer 1, which is not declared "
       "before the launch"},
  };
  for (const Case &c : cases) {
    std::string error;
    EXPECT_FALSE(parse(head + c.text + "end\n", error)) << c.text;
    EXPECT_EQ(error, c.message) << c.text;
  }
  // Views TMA cannot address: a column (not contiguous), rows of 14 bytes,
  // a start 2 bytes into the buffer; and an element type without a TMA
  // type.
  const std::string views = "module k k.ptx\nbuffer 0 f16 2 64 64 input 1\n"
                            "view 1 0 0 1 64 64\n"
                            "view 2 0 0 2 9 7 7 1\n"
                            "view 3 0 1 2 8 8 64 1\n"
                            "buffer 4 i1 1 64\n"
                            "launch k k 1 1 1 1 1 1 0\n";
  struct ViewCase {
    std::string line, message;
  } viewCases[] = {
      {"arg tensormap 1 0 1 8\n",
       "plan.txt:8: tensor map of buffer 1: its last dimension is not "
       "contiguous (stride 64)"},
      {"arg tensormap 2 0 2 8 7\n",
       "plan.txt:8: tensor map of buffer 2: dimension 0 has a stride of 14 "
       "bytes, not a multiple of 16"},
      {"arg tensormap 3 0 2 8 8\n",
       "plan.txt:8: tensor map of buffer 3: its first element is 2 bytes into "
       "its buffer, not a multiple of 16"},
      {"arg tensormap 4 0 1 8\n",
       "plan.txt:8: tensor map of buffer 4: TMA has no i1 elements"},
  };
  for (const ViewCase &c : viewCases) {
    std::string error;
    EXPECT_FALSE(parse(views + c.line + "end\n", error)) << c.line;
    EXPECT_EQ(error, c.message) << c.line;
  }
}

std::uint16_t bits16(const std::string &type, float value) {
  std::uint16_t bits = 0;
  EXPECT_TRUE(storeElement(type, value, &bits));
  return bits;
}

TEST(LaunchPlan, InputValuesConvertWithRoundToNearestEven) {
  // inputValue: ((i * 37 + salt * 11) % 101) / 101 - 0.5.
  EXPECT_FLOAT_EQ(inputValue(0, 0), -0.5f);
  EXPECT_FLOAT_EQ(inputValue(1, 2), 59.0f / 101.0f - 0.5f);
  // bf16: the top 16 bits of f32, rounded to nearest even.
  EXPECT_EQ(bits16("bf16", -0.5f), 0xBF00);
  EXPECT_EQ(bits16("bf16", 0.1f), 0x3DCD);   // 0x3DCCCCCD rounds up.
  EXPECT_EQ(bits16("bf16", 1.00390625f), 0x3F80); // A tie: to even.
  EXPECT_EQ(bits16("bf16", 1.01171875f), 0x3F82); // A tie: to even (up).
  // f16: 1 sign, 5 exponent (bias 15), 10 fraction bits.
  EXPECT_EQ(bits16("f16", -0.5f), 0xB800);
  EXPECT_EQ(bits16("f16", 0.1f), 0x2E66);
  EXPECT_EQ(bits16("f16", 1.0f / 3.0f), 0x3555);
  EXPECT_EQ(bits16("f16", 0.0f), 0x0000);
  EXPECT_EQ(bits16("f16", 0x1p-20f), 0x0010); // Subnormal: 16 x 2^-24.
  EXPECT_EQ(bits16("f16", 65504.0f), 0x7BFF);
  EXPECT_EQ(bits16("f16", 1e6f), 0x7C00);     // Overflow: infinity.
  float f;
  ASSERT_TRUE(storeElement("f32", 0.25f, &f));
  EXPECT_EQ(f, 0.25f);
  std::int32_t i;
  ASSERT_TRUE(storeElement("i32", -0.42f, &i));
  EXPECT_EQ(i, -42);
  char unused[8];
  EXPECT_FALSE(storeElement("index", 1.0f, unused));
}

} // namespace
