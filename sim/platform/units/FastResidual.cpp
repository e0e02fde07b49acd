// Residual adder timing twin: n / PP cycles plus one register.
#include "sim/platform/units/Residual.h"
#include "sim/platform/units/UnitTiming.h"

namespace specmamba::platform {

namespace {

class FastResidual final : public Residual {
 public:
  explicit FastResidual(const UnitContext& ctx) : ctx_(ctx) {}

  void add(const ResidualJob& job) override {
    const Cycle beats = Cycle((job.n + ctx_.accel->pp - 1) / ctx_.accel->pp);
    ctx_.compute(UnitKind::Residual,
                 beats * Cycle(kResidualTiming.ii) + Cycle(kResidualTiming.latency));
    if (!job.residual) return;
    for (int i = 0; i < job.n; ++i)
      job.residual[i] = intops::fit32(int64_t(job.residual[i]) + job.out[i], "residual");
  }

 private:
  UnitContext ctx_;
};

}  // namespace

std::unique_ptr<Residual> makeFastResidual(const UnitContext& ctx) {
  return std::make_unique<FastResidual>(ctx);
}

}  // namespace specmamba::platform
