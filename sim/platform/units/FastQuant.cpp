// Quantizer timing twin: n / PP cycles at II = 1 plus latency.
#include "sim/platform/units/Quant.h"
#include "sim/platform/units/UnitTiming.h"

namespace specmamba::platform {

namespace {

class FastQuant final : public Quant {
 public:
  explicit FastQuant(const UnitContext& ctx) : ctx_(ctx) {}

  void quantize(const QuantJob& job) override {
    const Cycle beats = Cycle((job.n + ctx_.accel->pp - 1) / ctx_.accel->pp);
    ctx_.compute(UnitKind::Quant,
                 beats * Cycle(kActQuantTiming.ii) + Cycle(kActQuantTiming.latency));
    if (job.x) intops::quantizePot(job.x, job.n, job.bits, job.q, job.s);
  }

 private:
  UnitContext ctx_;
};

}  // namespace

std::unique_ptr<Quant> makeFastQuant(const UnitContext& ctx) {
  return std::make_unique<FastQuant>(ctx);
}

}  // namespace specmamba::platform
