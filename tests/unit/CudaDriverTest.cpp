//===- CudaDriverTest.cpp - The CUDA device layer without a GPU -*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file checks what the CUDA device layer does where it cannot run: a
// missing driver library and a library that is not the driver are errors
// that say so, never a crash. Running PTX for real is
// scripts/gpu-check.sh's job on a machine with a GPU.
//
//===----------------------------------------------------------------------===//

#include "runtime/cuda/CudaDriver.h"

#include "gtest/gtest.h"

using fungible::cuda::Driver;

namespace {

TEST(CudaDriver, MissingLibraryIsAnError) {
  std::string error;
  std::unique_ptr<Driver> driver =
      Driver::load(error, "libfungible-no-such-cuda.so.1");
  EXPECT_FALSE(driver);
  EXPECT_NE(error.find("cannot load the CUDA driver "
                       "(libfungible-no-such-cuda.so.1)"),
            std::string::npos)
      << error;
}

TEST(CudaDriver, LibraryWithoutTheDriverApiIsAnError) {
  std::string error;
  std::unique_ptr<Driver> driver = Driver::load(error, "libm.so.6");
  EXPECT_FALSE(driver);
  EXPECT_EQ(error, "the CUDA driver (libm.so.6) lacks cuInit");
}

} // namespace
