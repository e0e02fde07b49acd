#pragma once
// HTU (SPEC §3 online rotation; RTL sm_fwht + sm_hadamard_k): v <-
// ((H_K (x) H_128) v) >> shift over d_inner = K x 128 values, between the gated
// norm and the out_proj quantizer. Only used when the model's rotation is
// "online" (the release runs with it off; the sequencer then skips the HTU).
//
// Contract of an implementation of `rotate`:
//  * Input/output (functional; null in timing-only): v[n] in place,
//    bit-exact with intops::hadamardInt(v, split, K matrix, shift) as
//    Mamba2Int applies it.
//  * Time: accelerator clock; the 128-point butterfly takes K vectors at
//    II = 1 (latency 7), the K-point stage 128 columns at II = K (latency
//    K + 1) (docs/rtl.md). Log busy cycles.
#include <memory>

#include "sim/platform/units/UnitContext.h"

namespace specmamba::platform {

struct HtuJob {
  int n = 0;
  int32_t* v = nullptr;
};

class Htu {
 public:
  virtual ~Htu() = default;
  virtual void rotate(const HtuJob& job) = 0;
};

std::unique_ptr<Htu> makeFastHtu(const UnitContext& ctx);

}  // namespace specmamba::platform
