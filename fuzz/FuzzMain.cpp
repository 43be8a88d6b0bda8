//===- FuzzMain.cpp - Replaying a harness's inputs without libFuzzer ------===//
//
// Part of Fungible, under the Apache License v2.0 with LLVM Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The main of a harness built without libFuzzer (the default build, g++):
// it runs LLVMFuzzerTestOneInput on every file named on the command line,
// or in a directory named there, so the seed corpora and every crash found
// by a fuzzing campaign stay regression tests (tests/fuzz/replay.test).
// A build with -DFUNGIBLE_FUZZ=ON (clang, scripts/fuzz.sh) links
// libFuzzer's main instead.
//
//===----------------------------------------------------------------------===//

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::error_code ec;
    if (llvm::sys::fs::is_directory(argv[i])) {
      for (llvm::sys::fs::recursive_directory_iterator it(argv[i], ec), end;
           it != end && !ec; it.increment(ec))
        if (llvm::sys::fs::is_regular_file(it->path()))
          files.push_back(it->path());
    } else {
      files.push_back(argv[i]);
    }
  }
  for (const std::string &file : files) {
    llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
        llvm::MemoryBuffer::getFile(file);
    if (!buffer) {
      llvm::errs() << "fuzz replay: cannot read '" << file << "'\n";
      return 1;
    }
    llvm::StringRef bytes = (*buffer)->getBuffer();
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.data()),
                           bytes.size());
  }
  llvm::outs() << files.size() << " inputs replayed, none crashed\n";
  return 0;
}
