// RMSNorm timing twin: 2B + 3 cycles for a vector of B = n / PP beats.
#include "sim/platform/units/Norm.h"
#include "sim/platform/units/UnitTiming.h"

namespace specmamba::platform {

namespace {

class FastNorm final : public Norm {
 public:
  explicit FastNorm(const UnitContext& ctx) : ctx_(ctx) {}

  void rmsnorm(const NormJob& job) override {
    const Cycle beats = Cycle((job.n + ctx_.accel->pp - 1) / ctx_.accel->pp);
    ctx_.compute(UnitKind::Norm, Cycle(kRmsNormTiming.ii) * beats + Cycle(kRmsNormTiming.latency));
    if (job.x) intops::rmsnorm(*job.lut, job.x, job.w, job.n, job.y);
  }

 private:
  UnitContext ctx_;
};

}  // namespace

std::unique_ptr<Norm> makeFastNorm(const UnitContext& ctx) {
  return std::make_unique<FastNorm>(ctx);
}

}  // namespace specmamba::platform
