// HTU on sm_fwht (128 points x 32 bit per beat) then sm_hadamard_k (MaxK =
// 40): the K blocks of 128 through the butterfly, then the 128 columns of K
// values (one per block, the transpose a column buffer holds) through the
// K-point stage, which applies the whole shift.
#include <fmt/format.h>

#include "Vsm_fwht_sc.h"
#include "Vsm_hadamard_k_sc.h"
#include "models/common/Error.h"
#include "models/rotation/Hadamard.h"
#include "sim/platform/rtl/HtuSigns.h"
#include "sim/platform/rtl/RtlDriver.h"
#include "sim/platform/rtl/RtlUnits.h"
#include "sim/platform/units/Htu.h"

namespace specmamba::platform::rtl {

namespace {

constexpr int kPoints = 128, kMaxK = 40;  // sc_model() in CMakeLists.txt
using VF = Vsm_fwht_sc;
using VK = Vsm_hadamard_k_sc;

class RtlHtu final : public Htu {
 public:
  explicit RtlHtu(const UnitContext& ctx)
      : clock_(ctx, UnitKind::Htu),
        fwht_(sc_core::sc_gen_unique_name("rtl_fwht")),
        kStage_(sc_core::sc_gen_unique_name("rtl_hadamard_k")),
        split_(hadamardSplit(ctx.model->dInner)) {
    bindClock(fwht_, clock_);
    bindStream(fwht_, fIn_, fValid_, fReady_, fOut_, fOutValid_, outReady_);
    bindClock(kStage_, clock_);
    bindStream(kStage_, kIn_, kValid_, kReady_, kOut_, kOutValid_, outReady_);
    kStage_.k_i(k_);
    kStage_.signs_i(signs_);
    kStage_.shift_i(shift_);
    outReady_.write(true);
    const std::vector<int8_t> km = hadamardMatrix(split_.k);
    put(signs_, specmamba::rtl::htuSignBits(km, split_.k, kMaxK));
    put(k_, uint64_t(split_.k));
    put(shift_, uint64_t(intops::hadamardShift(ctx.model->dInner)));
  }

  void rotate(const HtuJob& job) override {
    clock_.resetOnce();
    const int K = split_.k;
    std::vector<Bits> blocks;
    Bits in(kPoints * 32);
    runJob(
        clock_, {fValid_, fReady_, fOutValid_}, K, K,
        [&](int b) {
          for (int j = 0; j < kPoints; ++j)
            in.set(unsigned(j) * 32, 32, job.v ? uint32_t(job.v[b * kPoints + j]) : 0u);
          put(fIn_, in);
        },
        [&](int) { blocks.push_back(get(fOut_, kPoints * 32)); });
    Bits col(kMaxK * 32);
    runJob(
        clock_, {kValid_, kReady_, kOutValid_}, kPoints, kPoints,
        [&](int j) {
          for (int b = 0; b < K; ++b)
            col.set(unsigned(b) * 32, 32, blocks[size_t(b)].get(unsigned(j) * 32, 32));
          put(kIn_, col);
        },
        [&](int j) {
          if (!job.v) return;
          const Bits out = get(kOut_, kMaxK * 32);
          for (int b = 0; b < K; ++b)
            job.v[b * kPoints + j] = int32_t(out.get(unsigned(b) * 32, 32));
        });
  }

 private:
  UnitClock clock_;
  VF fwht_;
  VK kStage_;
  HadamardSplit split_;
  SignalOf<decltype(VF::data_i)> fIn_, fOut_;
  SignalOf<decltype(VK::k_i)> k_;
  SignalOf<decltype(VK::signs_i)> signs_;
  SignalOf<decltype(VK::shift_i)> shift_;
  SignalOf<decltype(VK::data_i)> kIn_;
  SignalOf<decltype(VK::data_o)> kOut_;
  Signal<bool> fValid_, fReady_, fOutValid_, kValid_, kReady_, kOutValid_, outReady_;
};

}  // namespace

std::unique_ptr<Htu> makeRtlHtu(const UnitContext& ctx) {
  const HadamardSplit s = hadamardSplit(ctx.model->dInner);
  if (s.pow2 != kPoints || s.k > kMaxK) {
    throw ConfigError(
        fmt::format("accelerator.units.htu: rtl HTU is 128 points x K <= {}; d_inner = {} splits "
                    "as {} x {}",
                    kMaxK, ctx.model->dInner, s.k, s.pow2));
  }
  return std::make_unique<RtlHtu>(ctx);
}

}  // namespace specmamba::platform::rtl
