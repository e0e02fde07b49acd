#pragma once
// The sign-matrix input of sm_hadamard_k (and of sm_norm_quant /
// sm_mamba_layer's hk_signs_i): bit a·stride + b set where H_K[a][b] = -1.
// `stride` is the port's row length (MaxK; K where the port is K × K).
// Shared by the plain-C++ testbenches and the rtl HTU unit.
#include <cstdint>
#include <vector>

#include "sim/platform/rtl/Bits.h"

namespace specmamba::rtl {

inline Bits htuSignBits(const std::vector<int8_t>& km, int k, unsigned stride) {
  Bits signs(stride * stride);
  for (int a = 0; a < k; ++a)
    for (int b = 0; b < k; ++b) signs.set(unsigned(a) * stride + unsigned(b), 1, km[size_t(a * k + b)] < 0);
  return signs;
}

}  // namespace specmamba::rtl
