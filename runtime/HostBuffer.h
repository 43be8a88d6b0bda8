//===- HostBuffer.h - The bytes of a host tensor ----------------*- C++ -*-===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// This file declares HostBuffer: the bytes of a tensor in host memory,
// which can adopt the allocation a JIT'd kernel returned its result in
// instead of copying it (HostExecutor::run).
//
//===----------------------------------------------------------------------===//

#ifndef FUNGIBLE_RUNTIME_HOSTBUFFER_H
#define FUNGIBLE_RUNTIME_HOSTBUFFER_H

#include <cstddef>

namespace fungible::runtime {

/// The bytes of a HostTensor, in memory freed with std::free: its own
/// (aligned to a cache line, as the JIT aligns its buffers), or a kernel's
/// result allocation adopted as it is (HostBuffer::adopt), so that a
/// result is not copied out of the memory the kernel wrote it to. Copies
/// are deep; moves steal.
class HostBuffer {
public:
  HostBuffer() = default;
  /// `bytes` zero bytes.
  explicit HostBuffer(size_t bytes);
  /// Takes ownership of `allocation` (freed with std::free) whose bytes
  /// [data, data + bytes) it holds.
  static HostBuffer adopt(void *allocation, char *data, size_t bytes);
  HostBuffer(const HostBuffer &other);
  HostBuffer(HostBuffer &&other) noexcept;
  HostBuffer &operator=(const HostBuffer &other);
  HostBuffer &operator=(HostBuffer &&other) noexcept;
  ~HostBuffer();

  char *data() { return bytes_ ? ptr : nullptr; }
  const char *data() const { return bytes_ ? ptr : nullptr; }
  size_t size() const { return bytes_; }
  bool empty() const { return bytes_ == 0; }
  char *begin() { return data(); }
  char *end() { return data() + bytes_; }
  const char *begin() const { return data(); }
  const char *end() const { return data() + bytes_; }
  char &operator[](size_t i) { return ptr[i]; }
  const char &operator[](size_t i) const { return ptr[i]; }
  /// `bytes` bytes: the first ones kept, the new ones zero.
  void resize(size_t bytes);
  /// The bytes [first, last), copied.
  void assign(const char *first, const char *last);

private:
  void release();

  void *allocation = nullptr;
  char *ptr = nullptr;
  size_t bytes_ = 0;
};

} // namespace fungible::runtime

#endif // FUNGIBLE_RUNTIME_HOSTBUFFER_H
