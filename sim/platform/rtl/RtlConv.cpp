// Conv unit on the chain sm_act_quant (8-bit, the conv input) -> sm_conv1d
// -> sm_lut_act (SiLU) -> sm_act_quant (8-bit), one group of 8 channels per
// beat, the stages wired by shared signals. sm_conv1d keeps the conv
// windows: Groups = 65536 entries hold every layer's window (entry layer x
// convDim / 8 + channel group), cleared on their first use; the platform's
// window (ConvJob::window) must then be zero, which is checked.
#include <fmt/format.h>

#include "Vsm_act_quant_sc_b8.h"
#include "Vsm_conv1d_sc.h"
#include "Vsm_lut_act_sc.h"
#include "models/common/Error.h"
#include "models/int/IntTables.h"
#include "sim/platform/rtl/RtlDriver.h"
#include "sim/platform/rtl/RtlUnits.h"
#include "sim/platform/units/Conv.h"

namespace specmamba::platform::rtl {

namespace {

using intops::kGroup;
constexpr int kWindowGroups = 65536, kKernel = 4;  // sc_model() in CMakeLists.txt
using VQ = Vsm_act_quant_sc_b8;
using VC = Vsm_conv1d_sc;
using VL = Vsm_lut_act_sc;

class RtlConv final : public Conv {
 public:
  explicit RtlConv(const UnitContext& ctx)
      : ctx_(ctx),
        clock_(ctx, UnitKind::Conv),
        qIn_(sc_core::sc_gen_unique_name("rtl_conv_qin")),
        conv_(sc_core::sc_gen_unique_name("rtl_conv1d")),
        lut_(sc_core::sc_gen_unique_name("rtl_conv_silu")),
        qOut_(sc_core::sc_gen_unique_name("rtl_conv_qout")),
        groupsPerLayer_(ctx.model->convDim() / kGroup),
        used_(size_t(ctx.model->nLayer) * size_t(groupsPerLayer_)) {
    bindClock(qIn_, clock_);
    bindStream(qIn_, in_, inValid_, inReady_, x_, convValid_, convReady_);
    qIn_.side_i(noSide_);
    qIn_.exp_o(xs_);
    qIn_.side_o(qInSide_);

    bindClock(conv_, clock_);
    conv_.group_i(group_);
    conv_.clear_i(clear_);
    conv_.x_i(x_);
    conv_.xs_i(xs_);
    conv_.w_i(w_);
    conv_.ws_i(ws_);
    conv_.b_i(b_);
    conv_.bs_i(bs_);
    // The window port (load/store a conv state while idle) stays unused:
    // the windows live on chip for the whole run (above).
    conv_.win_we_i(winWe_);
    conv_.win_re_i(winRe_);
    conv_.win_addr_i(winAddr_);
    conv_.win_wdata_i(winWdata_);
    conv_.win_rdata_o(winRdata_);
    conv_.valid_i(convValid_);
    conv_.ready_o(convReady_);
    conv_.data_o(convOut_);
    conv_.valid_o(lutValid_);
    conv_.ready_i(lutReady_);

    bindClock(lut_, clock_);
    bindStream(lut_, convOut_, lutValid_, lutReady_, silu_, qOutValid_, qOutReady_);
    lut_.alpha_i(lutPort_.alpha);
    lut_.k_i(lutPort_.k);
    lut_.ks_i(lutPort_.ks);
    lut_.tab_we_i(lutPort_.we);
    lut_.tab_sel_i(lutPort_.sel);
    lut_.tab_addr_i(lutPort_.addr);
    lut_.tab_data_i(lutPort_.data);

    bindClock(qOut_, clock_);
    bindStream(qOut_, silu_, qOutValid_, qOutReady_, out_, outValid_, outReady_);
    qOut_.side_i(noSide_);
    qOut_.exp_o(outExp_);
    qOut_.side_o(qOutSide_);
    outReady_.write(true);
  }

  void channels(const ConvJob& job) override {
    if (clock_.resetOnce())
      lutPort_.load(clock_, ctx_.golden ? ctx_.golden->weights().silu : intops::siluLut());
    const ModelConfig& m = *ctx_.model;
    const int D = m.dInner, N = m.dState, C = m.convDim();
    const int g0 = job.c0 / kGroup, groups = (job.c1 - job.c0) / kGroup;
    const size_t base = size_t(job.layer) * size_t(groupsPerLayer_);
    std::vector<bool> clear(static_cast<size_t>(groups));
    for (int g = 0; g < groups; ++g) {
      clear[size_t(g)] = !used_[base + size_t(g0 + g)];
      used_[base + size_t(g0 + g)] = true;
      if (clear[size_t(g)] && job.window) requireZeroWindow(*job.window, C, g0 + g);
    }
    int accepted = 0;  // conv input handshakes so far
    Bits in(kGroup * 32), w(kKernel * 64);
    runJob(
        clock_, {inValid_, inReady_, outValid_}, groups, groups,
        [&](int g) {
          for (int i = 0; i < kGroup; ++i) {
            in.set(unsigned(i) * 32, 32,
                   job.zx ? uint32_t(job.zx[D + job.c0 + g * kGroup + i]) : 0u);
          }
          put(in_, in);
        },
        [&](int g) {
          if (!job.zx) return;
          const int c = job.c0 + g * kGroup;
          intops::PotVector& dst = c < D ? job.out->x : (c < D + N ? job.out->B : job.out->C);
          const int at = c < D ? c : (c < D + N ? c - D : c - D - N);
          const uint64_t codes = out_.read();
          for (int i = 0; i < kGroup; ++i) dst.q[size_t(at + i)] = int8_t(codes >> (8 * i));
          dst.s[size_t(at / kGroup)] = uint8_t(outExp_.read());
        },
        [&] {
          if (!(convValid_.read() && convReady_.read())) return;
          if (job.convIn) {  // the quantized input the conv takes (and its window keeps)
            const uint64_t codes = x_.read();
            const int c = job.c0 + accepted * kGroup;
            for (int i = 0; i < kGroup; ++i)
              job.convIn->q[size_t(c + i)] = int8_t(codes >> (8 * i));
            job.convIn->s[size_t(c / kGroup)] = uint8_t(xs_.read());
          }
          ++accepted;
        },
        [&] {
          if (accepted >= groups) return;
          const int g = g0 + accepted;
          put(group_, base + size_t(g));
          clear_.write(clear[size_t(accepted)]);
          const intops::IntConv* cw = job.weights;
          uint64_t ws = 0, b = 0;
          for (int k = 0; k < kKernel; ++k) {
            for (int i = 0; i < kGroup; ++i) {
              w.set(unsigned(k * 64 + i * 8), 8,
                    cw ? uint64_t(cw->w[size_t(k * C + g * kGroup + i)]) : 0u);
            }
            ws |= uint64_t(cw ? cw->ws[size_t(k * C / kGroup + g)] : 0) << (4 * k);
          }
          for (int i = 0; i < kGroup; ++i)
            b |= uint64_t(uint8_t(cw ? cw->b[size_t(g * kGroup + i)] : 0)) << (8 * i);
          put(w_, w);
          put(ws_, ws);
          put(b_, b);
          put(bs_, cw ? cw->bs[size_t(g)] : 0u);
        });
  }

 private:
  static void requireZeroWindow(const intops::ConvWindow& win, int channels, int group) {
    for (int t = 0; t + 1 < kKernel; ++t) {
      for (int i = 0; i < kGroup; ++i) {
        if (win.q[size_t(t * channels + group * kGroup + i)] != 0) {
          throw Error(
              "rtl conv: sm_conv1d's window starts from zero (clear_i) but the layer's initial "
              "conv "
              "window is not zero");
        }
      }
    }
  }

  UnitContext ctx_;
  UnitClock clock_;
  VQ qIn_;
  VC conv_;
  VL lut_;
  VQ qOut_;
  int groupsPerLayer_;
  std::vector<bool> used_;  // window entries cleared once
  LutPort lutPort_;
  SignalOf<decltype(VQ::data_i)> in_, silu_;
  SignalOf<decltype(VQ::data_o)> x_, out_;
  SignalOf<decltype(VQ::exp_o)> xs_, outExp_;
  SignalOf<decltype(VC::group_i)> group_;
  SignalOf<decltype(VC::w_i)> w_;
  SignalOf<decltype(VC::ws_i)> ws_;
  SignalOf<decltype(VC::b_i)> b_;
  SignalOf<decltype(VC::bs_i)> bs_;
  SignalOf<decltype(VC::data_o)> convOut_;
  SignalOf<decltype(VC::win_addr_i)> winAddr_;
  SignalOf<decltype(VC::win_wdata_i)> winWdata_;
  SignalOf<decltype(VC::win_rdata_o)> winRdata_;
  Signal<bool> noSide_, inValid_, inReady_, qInSide_, convValid_, convReady_, clear_, lutValid_,
      lutReady_, qOutValid_, qOutReady_, qOutSide_, outValid_, outReady_, winWe_, winRe_;
};

}  // namespace

std::unique_ptr<Conv> makeRtlConv(const UnitContext& ctx) {
  requireLanes(ctx, UnitKind::Conv, kGroup);
  const int64_t entries = int64_t(ctx.model->nLayer) * (ctx.model->convDim() / kGroup);
  if (entries > kWindowGroups) {
    throw ConfigError(
        fmt::format("accelerator.units.conv: rtl sm_conv1d holds {} window groups, {} needs {}",
                    kWindowGroups, ctx.model->name, entries));
  }
  return std::make_unique<RtlConv>(ctx);
}

}  // namespace specmamba::platform::rtl
