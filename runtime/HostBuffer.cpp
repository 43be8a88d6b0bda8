//===- HostBuffer.cpp - The bytes of a host tensor --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "runtime/HostBuffer.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace fungible::runtime {

HostBuffer::HostBuffer(size_t bytes) { resize(bytes); }

namespace {

/// The alignment of a buffer the runtime allocates: a cache line, as the
/// JIT's own allocations (memref.alloc {alignment = 64}). From malloc's 16
/// bytes, three in four of a kernel's 64-byte vector loads of an input
/// straddled two cache lines: EfficientNet's 1x1x1152 -> 48 convolution
/// took 4.3-4.4 us with its filter passed in, 3.8 with it in the JIT's
/// aligned constant, and 3.8-4.0 passed in aligned (benchmarks/RESULTS.md,
/// 2026-12-06, eighth session).
constexpr size_t kBufferAlignment = 64;

/// `bytes` (at least one) of memory aligned to kBufferAlignment, freed with
/// std::free; zeroed when `zero`.
char *allocateAligned(size_t bytes, bool zero) {
  // aligned_alloc takes a multiple of the alignment.
  size_t rounded = llvm::alignTo(std::max<size_t>(bytes, 1), kBufferAlignment);
  char *fresh =
      static_cast<char *>(std::aligned_alloc(kBufferAlignment, rounded));
  if (!fresh)
    llvm::report_bad_alloc_error("HostBuffer: out of memory");
  if (zero)
    std::memset(fresh, 0, rounded);
  return fresh;
}

} // namespace

HostBuffer HostBuffer::adopt(void *allocation, char *data, size_t bytes) {
  HostBuffer buffer;
  buffer.allocation = allocation;
  buffer.ptr = data;
  buffer.bytes_ = bytes;
  return buffer;
}

HostBuffer::HostBuffer(const HostBuffer &other) {
  assign(other.begin(), other.end());
}

HostBuffer::HostBuffer(HostBuffer &&other) noexcept
    : allocation(other.allocation), ptr(other.ptr), bytes_(other.bytes_) {
  other.allocation = nullptr;
  other.ptr = nullptr;
  other.bytes_ = 0;
}

HostBuffer &HostBuffer::operator=(const HostBuffer &other) {
  if (this != &other)
    assign(other.begin(), other.end());
  return *this;
}

HostBuffer &HostBuffer::operator=(HostBuffer &&other) noexcept {
  if (this != &other) {
    release();
    std::swap(allocation, other.allocation);
    std::swap(ptr, other.ptr);
    std::swap(bytes_, other.bytes_);
  }
  return *this;
}

HostBuffer::~HostBuffer() { release(); }

void HostBuffer::release() {
  std::free(allocation);
  allocation = nullptr;
  ptr = nullptr;
  bytes_ = 0;
}

void HostBuffer::resize(size_t bytes) {
  // The new bytes are zero (and a 0-byte request still allocates).
  char *fresh = allocateAligned(bytes, /*zero=*/true);
  std::memcpy(fresh, data(), std::min(bytes, bytes_));
  release();
  allocation = fresh;
  ptr = fresh;
  bytes_ = bytes;
}

void HostBuffer::assign(const char *first, const char *last) {
  size_t bytes = last - first;
  char *fresh = allocateAligned(bytes, /*zero=*/false);
  if (bytes)
    std::memcpy(fresh, first, bytes);
  release();
  allocation = fresh;
  ptr = fresh;
  bytes_ = bytes;
}

} // namespace fungible::runtime
