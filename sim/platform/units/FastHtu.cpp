// HTU timing twin: K vectors through the 128-point butterfly (II 1, latency
// 7), then 128 columns through the K-point stage (II K, latency K + 1).
#include "models/rotation/Hadamard.h"
#include "sim/platform/units/Htu.h"
#include "sim/platform/units/UnitTiming.h"

namespace specmamba::platform {

namespace {

class FastHtu final : public Htu {
 public:
  explicit FastHtu(const UnitContext& ctx)
      : ctx_(ctx),
        split_(hadamardSplit(ctx.model->dInner)),
        k_(hadamardMatrix(split_.k)),
        shift_(intops::hadamardShift(ctx.model->dInner)) {}

  void rotate(const HtuJob& job) override {
    const Cycle K = Cycle(split_.k), columns = Cycle(job.n) / K;
    const Cycle butterfly = K * Cycle(kFwhtTiming.ii) + Cycle(kFwhtTiming.latency);
    const Cycle kStage =
        columns * K * Cycle(kHadamardKTiming.ii) + K + Cycle(kHadamardKTiming.latency);
    ctx_.compute(UnitKind::Htu, butterfly + kStage);
    if (job.v) intops::hadamardInt(job.v, split_, k_, shift_);
  }

 private:
  UnitContext ctx_;
  HadamardSplit split_;
  std::vector<int8_t> k_;
  int shift_;
};

}  // namespace

std::unique_ptr<Htu> makeFastHtu(const UnitContext& ctx) { return std::make_unique<FastHtu>(ctx); }

}  // namespace specmamba::platform
