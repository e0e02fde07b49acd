// SSMU timing twin: N x heads x P / PP cycles per group of 8 heads at II 1
// when the operators are fused (tiling on), one such pass per operator when
// not, plus the pipeline depth. Values from the golden phases: dt as
// Mamba2Int::prepare computes it, Mamba2Int::ssmHeads, the y·SiLU(z) gate as
// Mamba2Int::finish computes it (all per group of 8: bit-exact).
#include <vector>

#include "sim/platform/units/Ssmu.h"
#include "sim/platform/units/UnitTiming.h"

namespace specmamba::platform {

namespace {

using intops::kGroup;

class FastSsmu final : public Ssmu {
 public:
  explicit FastSsmu(const UnitContext& ctx) : ctx_(ctx), y_(size_t(ctx.model->dInner)) {}

  void headGroup(const SsmGroupJob& job) override {
    const ModelConfig& m = *ctx_.model;
    const AcceleratorConfig& a = *ctx_.accel;
    const int h0 = job.h0, h1 = job.h1, P = m.headdim, D = m.dInner;
    const Cycle elements = Cycle(m.dState) * Cycle(h1 - h0) * Cycle(P);
    const Cycle passes = a.tiling ? 1 : Cycle(kSsmuUnfusedPasses);
    ctx_.compute(UnitKind::Ssmu, passes * ((elements + Cycle(a.pp) - 1) / Cycle(a.pp)) +
                                     Cycle(kSsmUpdateTiming.latency + kSsmuExtraLatency));
    if (!job.zx) return;
    const Mamba2Int& g = *ctx_.golden;
    const IntModelWeights& w = g.weights();
    const IntLayerWeights& L = w.layers[size_t(job.layer)];

    std::vector<int32_t> dt(size_t(h1 - h0));
    const int32_t* dtRaw = job.zx + D + m.convDim();
    for (int h = h0; h < h1; ++h) {
      dt[size_t(h - h0)] = intops::lut(
          w.softplus, intops::fit32(int64_t(dtRaw[h]) + L.dtBias[size_t(h)], "dt + bias"));
    }
    job.in->dt.s[size_t(h0 / kGroup)] =
        uint8_t(intops::quantizeGroup(dt.data(), h1 - h0, 8, job.in->dt.q.data() + h0));

    intops::SsmState tile = g.sliceHeads(*job.state, h0, h1);
    g.ssmHeads(job.layer, h0, h1, *job.in, tile, y_.data());
    g.storeHeads(*job.state, tile, h0, h1);

    // Gate: yz = y·SiLU(z), each side quantized to 8 bits per group of 8.
    int32_t sz[kGroup];
    int8_t yq[kGroup], zq[kGroup];
    for (int i = h0 * P; i < h1 * P; i += kGroup) {
      for (int k = 0; k < kGroup; ++k) sz[k] = intops::lut(w.silu, job.zx[i + k]);
      const int ys = intops::quantizeGroup(y_.data() + i, kGroup, 8, yq);
      const int zs = intops::quantizeGroup(sz, kGroup, 8, zq);
      for (int k = 0; k < kGroup; ++k) job.yz[i + k] = intops::gateYz(yq[k], ys, zq[k], zs);
    }
  }

 private:
  UnitContext ctx_;
  std::vector<int32_t> y_;  // d_inner, this group's part written by ssmHeads
};

}  // namespace

std::unique_ptr<Ssmu> makeFastSsmu(const UnitContext& ctx) {
  return std::make_unique<FastSsmu>(ctx);
}

}  // namespace specmamba::platform
