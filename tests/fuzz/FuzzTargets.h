#pragma once
// libFuzzer entry points, one per parser a user can feed. Each target turns
// the input into the parser's argument and calls it; a specmamba::Error (a
// clean "bad input" error) is the expected outcome of most inputs, anything
// else escaping (another exception, a sanitizer report, a crash) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

namespace specmamba::fuzz {

// The input as a file (parsers that read paths): /dev/shm when it exists.
std::string writeInput(const uint8_t* data, size_t size, const char* suffix);

}  // namespace specmamba::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
