#pragma once
// RMSNorm unit (SPEC §3 LUT RMSNorm; RTL sm_rmsnorm): the pre-norm before
// in_proj (d_model, int11 weights), the gated norm before the HTU (d_inner,
// int13 weights) and, with the LM head on the accelerator, the final norm.
//
// Contract of an implementation of `rmsnorm`:
//  * Input (functional; null in timing-only): x[n] int32, the table `lut`,
//    weights w[n]. Output: y[n] = intops::rmsnorm(lut, x, w, n), bit-exact.
//  * Time: accelerator clock; one vector of B = n / PP beats takes 2B + 3
//    cycles (sum-of-squares pass, then the scaling pass; docs/rtl.md), one
//    vector at a time. Log busy cycles.
#include <memory>

#include "sim/platform/units/UnitContext.h"

namespace specmamba::platform {

struct NormJob {
  int n = 0;
  const intops::RmsLut* lut = nullptr;
  const int16_t* w = nullptr;
  const int32_t* x = nullptr;
  int32_t* y = nullptr;
};

class Norm {
 public:
  virtual ~Norm() = default;
  virtual void rmsnorm(const NormJob& job) = 0;
};

std::unique_ptr<Norm> makeFastNorm(const UnitContext& ctx);

}  // namespace specmamba::platform
