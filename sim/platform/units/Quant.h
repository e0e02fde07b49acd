#pragma once
// Activation quantizer (SPEC §3 group PoT quantizer; RTL sm_act_quant): the
// 4- (W4A4) or 8-bit (W8A8) inputs of in_proj and out_proj.
//
// Contract of an implementation of `quantize`:
//  * Input/output (functional; null in timing-only): x[n] int32 ->
//    q[n], s[n / 8], bit-exact with intops::quantizePot(x, n, bits, q, s).
//  * Time: accelerator clock; n / PP cycles at II = 1 plus latency 2
//    (docs/rtl.md). Log busy cycles.
#include <memory>

#include "sim/platform/units/UnitContext.h"

namespace specmamba::platform {

struct QuantJob {
  int n = 0;
  int bits = 4;
  const int32_t* x = nullptr;
  int8_t* q = nullptr;
  uint8_t* s = nullptr;
};

class Quant {
 public:
  virtual ~Quant() = default;
  virtual void quantize(const QuantJob& job) = 0;
};

std::unique_ptr<Quant> makeFastQuant(const UnitContext& ctx);

}  // namespace specmamba::platform
