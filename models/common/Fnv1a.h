#pragma once
// FNV-1a 64, fed incrementally: content ids (sweep points, sweep files) and
// fingerprints of simulated streams (the DRAM bench's command digest).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace specmamba {

struct Fnv1a {
  uint64_t value = 0xcbf29ce484222325ull;
  void add(const void* data, size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < bytes; ++i) {
      value ^= p[i];
      value *= 0x100000001b3ull;
    }
  }
  void add(std::string_view text) { add(text.data(), text.size()); }
};

}  // namespace specmamba
