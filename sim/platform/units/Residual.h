#pragma once
// Residual adder: residual[d_model] += out_proj output (int32 Q10, each sum
// checked to 32 bits as in Mamba2Int::finish).
//
// Contract of an implementation of `add`:
//  * Input/output (functional; null in timing-only): residual[n] += out[n].
//  * Time: accelerator clock; n / PP cycles plus latency 1. Log busy cycles.
#include <memory>

#include "sim/platform/units/UnitContext.h"

namespace specmamba::platform {

struct ResidualJob {
  int n = 0;
  int32_t* residual = nullptr;
  const int32_t* out = nullptr;
};

class Residual {
 public:
  virtual ~Residual() = default;
  virtual void add(const ResidualJob& job) = 0;
};

std::unique_ptr<Residual> makeFastResidual(const UnitContext& ctx);

}  // namespace specmamba::platform
