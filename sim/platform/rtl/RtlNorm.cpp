// RMSNorm on sm_rmsnorm (8 lanes, vectors up to 640 beats, int13 weight
// port: the int11 pre-norm weights sign-extend into it). The unit holds one
// table; a job with another table (pre-norm vs gated norm) reloads it as
// configuration, in zero simulated time [ours: the hardware keeps both].
#include <fmt/format.h>

#include "Vsm_rmsnorm_sc.h"
#include "models/common/Error.h"
#include "sim/platform/rtl/RtlDriver.h"
#include "sim/platform/rtl/RtlUnits.h"
#include "sim/platform/units/Norm.h"

namespace specmamba::platform::rtl {

namespace {

constexpr int kLanes = 8, kMaxBeats = 640, kWBits = 13;  // sc_model() in CMakeLists.txt
using V = Vsm_rmsnorm_sc;

class RtlNorm final : public Norm {
 public:
  explicit RtlNorm(const UnitContext& ctx)
      : clock_(ctx, UnitKind::Norm), m_(sc_core::sc_gen_unique_name("rtl_rmsnorm")) {
    bindClock(m_, clock_);
    m_.alpha_i(alpha_);
    m_.log2denom_i(log2denom_);
    m_.offset_i(offset_);
    m_.tab_we_i(tabWe_);
    m_.tab_addr_i(tabAddr_);
    m_.tab_data_i(tabData_);
    m_.x_i(x_);
    m_.w_i(w_);
    m_.last_i(last_);
    m_.valid_i(valid_);
    m_.ready_o(ready_);
    m_.data_o(out_);
    m_.last_o(lastOut_);
    m_.valid_o(outValid_);
    m_.ready_i(outReady_);
    outReady_.write(true);
  }

  void rmsnorm(const NormJob& job) override {
    const int beats = (job.n + kLanes - 1) / kLanes;
    if (beats > kMaxBeats)
      throw Error(fmt::format("rtl norm: {} values exceed the RTL's {} beats", job.n, kMaxBeats));
    clock_.resetOnce();
    if (job.lut && job.lut != loaded_) load(*job.lut);
    Bits x(kLanes * 32), w(kLanes * kWBits);
    runJob(
        clock_, {valid_, ready_, outValid_}, beats, beats,
        [&](int b) {
          for (int l = 0; l < kLanes; ++l) {
            const int i = b * kLanes + l;
            x.set(unsigned(l) * 32, 32, job.x ? uint32_t(job.x[i]) : 0u);
            w.set(unsigned(l * kWBits), kWBits, job.w ? uint64_t(job.w[i]) : 0u);
          }
          put(x_, x);
          put(w_, w);
          last_.write(b + 1 == beats);
        },
        [&](int b) {
          if (!job.y) return;
          const Bits y = get(out_, kLanes * 32);
          for (int l = 0; l < kLanes; ++l)
            job.y[b * kLanes + l] = int32_t(y.get(unsigned(l) * 32, 32));
        });
  }

 private:
  void load(const intops::RmsLut& L) {
    Bits alpha(8 * 64), l2d(8 * 6), off(8 * 6);
    for (unsigned i = 0; i < 8; ++i) {
      alpha.set(i * 64, 64, uint64_t(L.alpha[i]));
      l2d.set(i * 6, 6, L.log2denom[i]);
      off.set(i * 6, 6, L.offset[i]);
    }
    put(alpha_, alpha);
    put(log2denom_, l2d);
    put(offset_, off);
    tabWe_.write(true);
    for (size_t a = 0; a < L.table.size(); ++a) {
      put(tabAddr_, a);
      put(tabData_, L.table[a]);
      clock_.configPulse();
    }
    tabWe_.write(false);
    loaded_ = &L;
  }

  UnitClock clock_;
  V m_;
  SignalOf<decltype(V::alpha_i)> alpha_;
  SignalOf<decltype(V::log2denom_i)> log2denom_;
  SignalOf<decltype(V::offset_i)> offset_;
  Signal<bool> tabWe_, last_, valid_, ready_, lastOut_, outValid_, outReady_;
  SignalOf<decltype(V::tab_addr_i)> tabAddr_;
  SignalOf<decltype(V::tab_data_i)> tabData_;
  SignalOf<decltype(V::x_i)> x_;
  SignalOf<decltype(V::w_i)> w_;
  SignalOf<decltype(V::data_o)> out_;
  const intops::RmsLut* loaded_ = nullptr;
};

}  // namespace

std::unique_ptr<Norm> makeRtlNorm(const UnitContext& ctx) {
  requireLanes(ctx, UnitKind::Norm, kLanes);
  return std::make_unique<RtlNorm>(ctx);
}

}  // namespace specmamba::platform::rtl
