// Quantizer on sm_act_quant (Bits = the experiment's activation width):
// n / 8 groups of 8 int32 in, 8 codes + the group's exponent out.
#include <fmt/format.h>

#include "Vsm_act_quant_sc_b4.h"
#include "Vsm_act_quant_sc_b8.h"
#include "models/common/Error.h"
#include "sim/platform/rtl/RtlDriver.h"
#include "sim/platform/rtl/RtlUnits.h"
#include "sim/platform/units/Quant.h"

namespace specmamba::platform::rtl {

namespace {

using intops::kGroup;

template <class V, int kBits>
class RtlQuant final : public Quant {
 public:
  explicit RtlQuant(const UnitContext& ctx)
      : clock_(ctx, UnitKind::Quant), m_(sc_core::sc_gen_unique_name("rtl_act_quant")) {
    bindClock(m_, clock_);
    bindStream(m_, data_, valid_, ready_, out_, outValid_, outReady_);
    m_.side_i(side_);
    m_.exp_o(exp_);
    m_.side_o(sideOut_);
    outReady_.write(true);
  }

  void quantize(const QuantJob& job) override {
    if (job.bits != kBits) {
      throw Error(
          fmt::format("rtl quantizer: built for {}-bit activations, job asks {}", kBits, job.bits));
    }
    clock_.resetOnce();
    const int groups = (job.n + kGroup - 1) / kGroup;
    Bits beat(kGroup * 32);
    runJob(
        clock_, {valid_, ready_, outValid_}, groups, groups,
        [&](int g) {
          for (int i = 0; i < kGroup; ++i)
            beat.set(unsigned(i) * 32, 32, job.x ? uint32_t(job.x[g * kGroup + i]) : 0u);
          put(data_, beat);
        },
        [&](int g) {
          if (!job.q) return;
          const Bits codes = get(out_, kGroup * kBits);
          for (int i = 0; i < kGroup; ++i)
            job.q[g * kGroup + i] = int8_t(codes.getSigned(unsigned(i * kBits), kBits));
          job.s[g] = uint8_t(exp_.read());
        });
  }

 private:
  UnitClock clock_;
  V m_;
  SignalOf<decltype(V::data_i)> data_;
  Signal<bool> side_, valid_, ready_, sideOut_, outValid_, outReady_;
  SignalOf<decltype(V::data_o)> out_;
  SignalOf<decltype(V::exp_o)> exp_;
};

}  // namespace

std::unique_ptr<Quant> makeRtlQuant(const UnitContext& ctx) {
  requireLanes(ctx, UnitKind::Quant, kGroup);
  if (ctx.accel->weightBits() == 4) return std::make_unique<RtlQuant<Vsm_act_quant_sc_b4, 4>>(ctx);
  return std::make_unique<RtlQuant<Vsm_act_quant_sc_b8, 8>>(ctx);
}

}  // namespace specmamba::platform::rtl
