// SSMU on sm_ssmu (Heads = 8: one head group per job; HeadDim and DState as
// Verilated for the shipped models). Per job, as configuration (zero
// simulated time): the group's A and D through the parameter port and its
// state into the RTL's state buffer through the state port; then the token
// stream dt | B | C | x through the RTL, y out; then the state read back. The
// state lives in the platform's layer state between jobs (the RTL buffer
// holds one group). The softplus dt before and the y·SiLU(z) gate after have
// no RTL yet (docs/rtl.md): they are the golden operators (SsmuGroupOps.h).
#include <fmt/format.h>

#include "Vsm_ssmu_sc_p16n16.h"
#include "Vsm_ssmu_sc_p32n32.h"
#include "Vsm_ssmu_sc_p64n128.h"
#include "models/common/Error.h"
#include "models/int/IntTables.h"
#include "sim/platform/rtl/RtlDriver.h"
#include "sim/platform/rtl/RtlUnits.h"
#include "sim/platform/units/Ssmu.h"
#include "sim/platform/units/SsmuGroupOps.h"

namespace specmamba::platform::rtl {

namespace {

using intops::kGroup;
constexpr unsigned kBeatW = 8 * 8 + 4;  // 8 int8 lanes + the group's exponent

void setPot(Bits& b, const int8_t* q, uint8_t s) {
  for (unsigned l = 0; l < 8; ++l) b.set(l * 8, 8, uint64_t(uint8_t(q[l])));
  b.set(64, 4, s);
}

template <class V>
class RtlSsmu final : public Ssmu {
 public:
  explicit RtlSsmu(const UnitContext& ctx)
      : ctx_(ctx),
        clock_(ctx, UnitKind::Ssmu),
        m_(sc_core::sc_gen_unique_name("rtl_ssmu")),
        y_(size_t(ctx.model->dInner)) {
    bindClock(m_, clock_);
    bindStream(m_, in_, valid_, ready_, out_, outValid_, outReady_);
    m_.exp_alpha_i(lut_.alpha);
    m_.exp_k_i(lut_.k);
    m_.exp_ks_i(lut_.ks);
    m_.tab_we_i(lut_.we);
    m_.tab_sel_i(lut_.sel);
    m_.tab_addr_i(lut_.addr);
    m_.tab_data_i(lut_.data);
    m_.par_we_i(parWe_);
    m_.par_head_i(parHead_);
    m_.par_a_i(parA_);
    m_.par_as_i(parAs_);
    m_.par_d_i(parD_);
    m_.par_ds_i(parDs_);
    m_.idle_o(idle_);
    m_.st_we_i(stWe_);
    m_.st_re_i(stRe_);
    m_.st_addr_i(stAddr_);
    m_.st_wdata_i(stWdata_);
    m_.st_rdata_o(stRdata_);
    outReady_.write(true);
  }

  void headGroup(const SsmGroupJob& job) override {
    if (clock_.resetOnce())
      lut_.load(clock_, ctx_.golden ? ctx_.golden->weights().exp : intops::expLut());
    const ModelConfig& m = *ctx_.model;
    const int h0 = job.h0, P = m.headdim, N = m.dState;
    const Mamba2Int* g = job.zx ? ctx_.golden : nullptr;
    intops::SsmState tile;
    if (g) {
      ssmuDt(*g, job);
      configure(g->weights().layers[size_t(job.layer)], h0);
      tile = g->sliceHeads(*job.state, h0, job.h1);
      writeState(tile);
    }
    const Mamba2Int::SsmInputs* in = g ? job.in : nullptr;
    const int nB = N / kGroup, beats = 1 + 2 * nB + P;  // dt | B | C | x (8 heads x P / 8)
    Bits beat(kBeatW);
    runJob(
        clock_, {valid_, ready_, outValid_}, beats, P,
        [&](int b) {
          if (in) {
            const intops::PotVector& v = b == 0        ? in->dt
                                         : b <= nB     ? in->B
                                         : b <= 2 * nB ? in->C
                                                       : in->x;
            const int grp = b == 0        ? h0 / kGroup
                            : b <= nB     ? b - 1
                            : b <= 2 * nB ? b - 1 - nB
                                          : h0 * P / kGroup + b - 1 - 2 * nB;
            setPot(beat, v.q.data() + grp * kGroup, v.s[size_t(grp)]);
          }
          put(in_, beat);
        },
        [&](int t) {
          const Bits y = get(out_, 8 * 32);
          for (int l = 0; l < kGroup; ++l)
            y_[size_t(h0 * P + t * kGroup + l)] = int32_t(y.get(unsigned(l) * 32, 32));
        });
    if (!g) return;
    sc_core::wait(sc_core::SC_ZERO_TIME);  // the outputs of the last edge
    if (!idle_.read()) throw Error("rtl SSMU: sm_ssmu is not idle after the last y");
    readState(tile);
    g->storeHeads(*job.state, tile, h0, job.h1);
    ssmuGate(*g, job, y_.data());
  }

 private:
  void configure(const IntLayerWeights& L, int h0) {
    parWe_.write(true);
    for (int h = 0; h < kGroup; ++h) {
      put(parHead_, uint64_t(h));
      put(parA_, uint64_t(uint16_t(L.aQ[size_t(h0 + h)])));
      put(parAs_, L.aS[size_t(h0 / kGroup)]);
      put(parD_, uint64_t(uint8_t(L.dQ[size_t(h0 + h)])));
      put(parDs_, L.dS[size_t(h0 / kGroup)]);
      clock_.configPulse();
    }
    parWe_.write(false);
  }

  // The group's state [N][8 P] in and out of the state buffer, entry a =
  // elements 8a .. 8a + 7 and their exponent.
  void writeState(const intops::SsmState& tile) {
    Bits b(kBeatW);
    stWe_.write(true);
    for (size_t a = 0; a < tile.s.size(); ++a) {
      setPot(b, tile.h.data() + a * kGroup, tile.s[a]);
      put(stAddr_, a);
      put(stWdata_, b);
      clock_.configPulse();
    }
    stWe_.write(false);
  }
  void readState(intops::SsmState& tile) {
    stRe_.write(true);
    for (size_t a = 0; a < tile.s.size(); ++a) {
      put(stAddr_, a);
      clock_.configPulse();
      const Bits b = get(stRdata_, kBeatW);
      for (unsigned l = 0; l < 8; ++l) tile.h[a * kGroup + l] = int8_t(b.get(l * 8, 8));
      tile.s[a] = uint8_t(b.get(64, 4));
    }
    stRe_.write(false);
  }

  UnitContext ctx_;
  UnitClock clock_;
  V m_;
  std::vector<int32_t> y_;
  LutPort lut_;
  SignalOf<decltype(V::data_i)> in_;
  SignalOf<decltype(V::data_o)> out_;
  SignalOf<decltype(V::par_head_i)> parHead_;
  SignalOf<decltype(V::par_a_i)> parA_;
  SignalOf<decltype(V::par_as_i)> parAs_;
  SignalOf<decltype(V::par_d_i)> parD_;
  SignalOf<decltype(V::par_ds_i)> parDs_;
  SignalOf<decltype(V::st_addr_i)> stAddr_;
  SignalOf<decltype(V::st_wdata_i)> stWdata_;
  SignalOf<decltype(V::st_rdata_o)> stRdata_;
  Signal<bool> valid_, ready_, outValid_, outReady_, parWe_, idle_, stWe_, stRe_;
};

}  // namespace

std::unique_ptr<Ssmu> makeRtlSsmu(const UnitContext& ctx) {
  requireLanes(ctx, UnitKind::Ssmu, kGroup);
  const int P = ctx.model->headdim, N = ctx.model->dState;
  if (P == 16 && N == 16) return std::make_unique<RtlSsmu<Vsm_ssmu_sc_p16n16>>(ctx);
  if (P == 32 && N == 32) return std::make_unique<RtlSsmu<Vsm_ssmu_sc_p32n32>>(ctx);
  if (P == 64 && N == 128) return std::make_unique<RtlSsmu<Vsm_ssmu_sc_p64n128>>(ctx);
  throw ConfigError(fmt::format(
      "accelerator.units.ssmu: rtl sm_ssmu is Verilated for 8 heads x (headdim, d_state) "
      "= (16, 16) tiny-64, (32, 32) tiny-256, (64, 128) mamba2-130m; {} has ({}, {})",
      ctx.model->name, P, N));
}

}  // namespace specmamba::platform::rtl
