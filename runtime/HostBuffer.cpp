//===- HostBuffer.cpp - The bytes of a host tensor --------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//

#include "runtime/HostBuffer.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace fungible::runtime {

HostBuffer::HostBuffer(size_t bytes) { resize(bytes); }

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
  // calloc: the new bytes are zero (and a 0-byte request still allocates).
  char *fresh = static_cast<char *>(std::calloc(std::max<size_t>(bytes, 1), 1));
  if (!fresh)
    llvm::report_bad_alloc_error("HostBuffer: out of memory");
  std::memcpy(fresh, data(), std::min(bytes, bytes_));
  release();
  allocation = fresh;
  ptr = fresh;
  bytes_ = bytes;
}

void HostBuffer::assign(const char *first, const char *last) {
  size_t bytes = last - first;
  char *fresh = static_cast<char *>(std::malloc(std::max<size_t>(bytes, 1)));
  if (!fresh)
    llvm::report_bad_alloc_error("HostBuffer: out of memory");
  if (bytes)
    std::memcpy(fresh, first, bytes);
  release();
  allocation = fresh;
  ptr = fresh;
  bytes_ = bytes;
}

} // namespace fungible::runtime
