#pragma once
// Conv unit (SPEC §3 conv1d; RTL sm_conv1d + sm_lut_act): for a range of xBC
// channels of one token: quantize the in_proj output to 8 bits (the value the
// conv window keeps), depthwise kernel-4 conv over the window and this input,
// SiLU, re-quantize to 8 bits.
//
// Contract of an implementation of `channels`:
//  * Input (functional; null in timing-only): `zx` the token's in_proj row
//    in the original order [z | xBC | dt] (Q10), `window` the layer's conv
//    window (the last 3 quantized inputs, on chip; NOT modified here: the
//    sequencer shifts it after the token), conv weights from `weights`
//    (unpacked from the DRAM image).
//  * Output: `convIn` (convDim) gets the quantized inputs of channels
//    [c0, c1); `out->x`, `out->B`, `out->C` get the SiLU outputs of those
//    channels (x: channel c < d_inner; B: next N; C: last N). Bit-exact with
//    Mamba2Int::convInput / prepare. c0 and c1 are multiples of 8.
//  * Time: accelerator clock, (c1 - c0) / PP cycles at II = 1 plus the
//    latencies of conv, LUT and quantizer (UnitTiming). Log busy cycles.
#include <memory>

#include "sim/platform/units/UnitContext.h"

namespace specmamba::platform {

struct ConvJob {
  int layer = 0;
  int c0 = 0, c1 = 0;
  const int32_t* zx = nullptr;
  const intops::ConvWindow* window = nullptr;
  const intops::IntConv* weights = nullptr;
  intops::PotVector* convIn = nullptr;
  Mamba2Int::SsmInputs* out = nullptr;
};

class Conv {
 public:
  virtual ~Conv() = default;
  virtual void channels(const ConvJob& job) = 0;
};

std::unique_ptr<Conv> makeFastConv(const UnitContext& ctx);

}  // namespace specmamba::platform
