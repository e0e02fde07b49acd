#pragma once
// Helpers shared by the model test areas (tests/models, tests/int).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace specmamba::test {

// max|a-b| / max|b|: relative to the reference's scale, so values near zero
// do not inflate it.
inline double relError(const std::vector<float>& a, const std::vector<float>& b) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff = std::max(diff, double(std::fabs(a[i] - b[i])));
    scale = std::max(scale, double(std::fabs(b[i])));
  }
  return diff / scale;
}

// A deterministic pseudo-random prompt of n token ids below vocab.
inline std::vector<int> promptOf(int n, int vocab, uint64_t seed) {
  std::vector<int> p;
  uint64_t x = seed;
  for (int i = 0; i < n; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    p.push_back(int((x >> 33) % uint64_t(vocab)));
  }
  return p;
}

}  // namespace specmamba::test
