// MMU timing twin: tile by tile as the weights arrive, ceil(tokens / TP) x
// ceil(cols / CIP) cycles per tile at II = 1, the pipeline latency once
// after the last tile; values from intops::linearBatch on the unpacked tile.
#include <vector>

#include "sim/platform/units/Mmu.h"
#include "sim/platform/units/UnitTiming.h"

namespace specmamba::platform {

namespace {

class FastMmu final : public Mmu {
 public:
  explicit FastMmu(const UnitContext& ctx) : ctx_(ctx) {}

  void linear(const LinearJob& job, WeightFeed& feed) override {
    const AcceleratorConfig& a = *ctx_.accel;
    const Cycle passes = Cycle((job.tokens + a.tp - 1) / a.tp);
    const Cycle perTile = passes * Cycle((job.cols + a.cip - 1) / a.cip);
    std::vector<int32_t> y;
    for (int t = 0; t < job.tiles; ++t) {
      const WeightTile tile = feed.acquire(t);
      ctx_.compute(UnitKind::Mmu, perTile);
      if (tile.weights) {
        y.resize(size_t(job.tokens) * size_t(tile.rows));
        intops::linearBatch(*tile.weights, job.tokens, job.xq, job.xs, y.data());
      }
      feed.release(t, tile.weights ? y.data() : nullptr);
    }
    ctx_.compute(UnitKind::Mmu, Cycle(kMmuTiming.latency));
  }

 private:
  UnitContext ctx_;
};

}  // namespace

std::unique_ptr<Mmu> makeFastMmu(const UnitContext& ctx) { return std::make_unique<FastMmu>(ctx); }

}  // namespace specmamba::platform
