// SSMU timing twin: N x heads x P / PP cycles per group of 8 heads at II 1
// when the operators are fused (tiling on), one such pass per operator when
// not, plus the pipeline depth. Values from the golden phases: dt as
// Mamba2Int::prepare computes it, Mamba2Int::ssmHeads, the y·SiLU(z) gate as
// Mamba2Int::finish computes it (all per group of 8: bit-exact).
#include <vector>

#include "sim/platform/units/Ssmu.h"
#include "sim/platform/units/SsmuGroupOps.h"
#include "sim/platform/units/UnitTiming.h"

namespace specmamba::platform {

namespace {

class FastSsmu final : public Ssmu {
 public:
  explicit FastSsmu(const UnitContext& ctx) : ctx_(ctx), y_(size_t(ctx.model->dInner)) {}

  void headGroup(const SsmGroupJob& job) override {
    const ModelConfig& m = *ctx_.model;
    const AcceleratorConfig& a = *ctx_.accel;
    const int h0 = job.h0, h1 = job.h1, P = m.headdim;
    const Cycle elements = Cycle(m.dState) * Cycle(h1 - h0) * Cycle(P);
    const Cycle passes = a.tiling ? 1 : Cycle(kSsmuUnfusedPasses);
    ctx_.compute(UnitKind::Ssmu, passes * ((elements + Cycle(a.pp) - 1) / Cycle(a.pp)) +
                                     Cycle(ssmuOverheadCycles(m.dState, a.pp)));
    if (!job.zx) return;
    const Mamba2Int& g = *ctx_.golden;
    ssmuDt(g, job);
    intops::SsmState tile = g.sliceHeads(*job.state, h0, h1);
    g.ssmHeads(job.layer, h0, h1, *job.in, tile, y_.data());
    g.storeHeads(*job.state, tile, h0, h1);
    ssmuGate(g, job, y_.data());
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
