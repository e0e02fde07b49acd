#pragma once
// SSMU (SPEC §3 SSM step, §4): PP-lane pipeline of the element-wise SSM
// operators for one group of 8 heads (the A / D / dt exponent group):
// dt = softplus(dt_raw + bias) -> 8-bit; dA = exp(dt·A); dB = dt·B;
// h = dA·h + dB·x re-quantized; y = h·C + x·D; yz = y·SiLU(z) (the gate).
//
// Contract of an implementation of `headGroup`:
//  * Input (functional runs; all null in timing-only runs): `in->x` holds
//    this group's x (8-bit PoT, conv + SiLU output) at its d_inner offset,
//    `in->B`, `in->C` the whole B and C; `zx` is the token's in_proj output
//    row in the original order [z | xBC | dt] (Q10), of which the unit reads
//    this group's dt_raw and z; `state` is the layer's whole on-chip SSM
//    state [N][d_inner] (int8 + exponents).
//  * Output: `in->dt` gets this group's quantized dt (at offset h0); the
//    state of heads [h0, h1) is updated in place; `yz` (d_inner, Q12) gets
//    this group's gated output at offset h0·P. Bit-exact with
//    Mamba2Int::prepare (dt part), ssmHeads and finish (gate part).
//  * Time: accelerator clock; N x (h1 - h0) x P / PP cycles at II = 1 when
//    the operators are fused (tiling on), one pass per operator when not,
//    plus the pipeline latency (UnitTiming). Log busy cycles.
#include <memory>

#include "sim/platform/units/UnitContext.h"

namespace specmamba::platform {

struct SsmGroupJob {
  int layer = 0;
  int h0 = 0, h1 = 0;  // heads [h0, h1): one group of 8
  Mamba2Int::SsmInputs* in = nullptr;
  const int32_t* zx = nullptr;
  intops::SsmState* state = nullptr;
  int32_t* yz = nullptr;
};

class Ssmu {
 public:
  virtual ~Ssmu() = default;
  virtual void headGroup(const SsmGroupJob& job) = 0;
};

std::unique_ptr<Ssmu> makeFastSsmu(const UnitContext& ctx);

}  // namespace specmamba::platform
