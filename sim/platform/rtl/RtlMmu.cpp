// MMU on sm_mmu (Tp = 1, Cop = Cip = 8; W4A4 or W8A8 as Verilated): tile
// after tile as the weight feed hands them over, the beats of consecutive
// tiles back to back (II 1), each tile's y released when it leaves the MMU
// (while the next tile streams in), the last one after the pipeline drains.
#include <fmt/format.h>

#include "Vsm_mmu_sc_w4.h"
#include "Vsm_mmu_sc_w8.h"
#include "models/common/Error.h"
#include "sim/platform/rtl/MmuBeat.h"
#include "sim/platform/rtl/RtlDriver.h"
#include "sim/platform/rtl/RtlUnits.h"
#include "sim/platform/units/Mmu.h"

namespace specmamba::platform::rtl {

namespace {

using specmamba::rtl::MmuShape;
constexpr int kTp = 1, kCop = 8, kCip = 8;  // sc_model() in CMakeLists.txt

template <class V>
class RtlMmu final : public Mmu {
 public:
  RtlMmu(const UnitContext& ctx, unsigned bits)
      : clock_(ctx, UnitKind::Mmu),
        m_(sc_core::sc_gen_unique_name("rtl_mmu")),
        shape_{kTp, bits, bits} {
    bindClock(m_, clock_);
    m_.w_i(w_);
    m_.x_i(x_);
    m_.xs_i(xs_);
    m_.s1_i(s1_);
    m_.s2_i(s2_);
    m_.first_i(first_);
    m_.last_i(last_);
    m_.shift_i(shift_);
    m_.valid_i(valid_);
    m_.ready_o(ready_);
    m_.data_o(out_);
    m_.valid_o(outValid_);
    m_.ready_i(outReady_);
    outReady_.write(true);
  }

  void linear(const LinearJob& job, WeightFeed& feed) override {
    if (job.tokens > kTp)
      throw Error(fmt::format("rtl MMU: Tp = {}, job of {} tokens", kTp, job.tokens));
    clock_.resetOnce();
    if (job.kind == LinearKind::InProj) traceLayerBegins(job.layer);
    const unsigned beats = unsigned(job.cols) / kCip;
    std::vector<WeightTile> tiles(size_t(job.tiles));
    std::vector<int32_t> y(kCop);
    int fed = 0, out = 0;
    unsigned beat = 0;
    acquire(feed, tiles, 0, job);
    clock_.awaitEdge();
    clock_.begin();
    present(tiles[0], job, 0);
    Cycle quiet = 0;  // edges without a handshake (RtlDriver.h, kStallLimit)
    while (out < job.tiles) {
      clock_.awaitEdge();
      const bool inFire = valid_.read() && ready_.read();
      const bool outFire = outValid_.read();
      quiet = inFire || outFire ? 0 : quiet + 1;
      if (quiet > kStallLimit)
        clock_.stalled(fed * int(beats) + int(beat), job.tiles * int(beats), out, job.tiles);
      if (outFire) {
        const Bits o = get(out_, shape_.outW());
        for (int r = 0; r < kCop; ++r) y[size_t(r)] = int32_t(o.get(unsigned(r) * 32, 32));
      }
      clock_.pulse();
      if (outFire) {
        feed.release(out, tiles[size_t(out)].weights ? y.data() : nullptr);
        ++out;
      }
      if (!inFire) continue;
      if (++beat == beats) {
        beat = 0;
        if (++fed == job.tiles) {
          valid_.write(false);
          continue;
        }
        const Cycle from = clock_.now();
        acquire(feed, tiles, fed, job);
        if (clock_.now() != from) clock_.split(from);
      }
      present(tiles[size_t(fed)], job, beat);
    }
    clock_.end();
    if (job.kind == LinearKind::OutProj) traceLayerEnds(job.layer);
  }

 private:
  void acquire(WeightFeed& feed, std::vector<WeightTile>& tiles, int t, const LinearJob& job) {
    tiles[size_t(t)] = feed.acquire(t);
    if (!tiles[size_t(t)].weights) {  // timing-only: zero weights of the tile's shape
      zero_.rows = tiles[size_t(t)].rows;
      zero_.cols = job.cols;
      zero_.group = std::min(128, job.cols);
      zero_.w.assign(size_t(zero_.rows) * size_t(zero_.cols), 0);
      zero_.s1.assign(size_t(zero_.rows) * size_t(zero_.groupsPerRow()), 0);
      zero_.s2 = zero_.s1;
    }
  }

  // Puts beat `b` of `tile` on the MMU's inputs.
  void present(const WeightTile& tile, const LinearJob& job, unsigned b) {
    const intops::IntLinear& L = tile.weights ? *tile.weights : zero_;
    const Bits beat = packMmuBeat(shape_, L, unsigned(job.tokens), job.xq, job.xs, b);
    put(w_, beat.slice(0, shape_.wW()));
    put(x_, beat.get(shape_.xAt(), shape_.xW()));
    put(xs_, beat.get(shape_.xsAt(), shape_.xsW()));
    put(s1_, beat.get(shape_.s1At(), shape_.sW()));
    put(s2_, beat.get(shape_.s2At(), shape_.sW()));
    first_.write(beat.get(shape_.flagsAt(), 1));
    last_.write(beat.get(shape_.flagsAt() + 1, 1));
    put(shift_, beat.get(shape_.flagsAt() + 2, 5));
    valid_.write(true);
  }

  UnitClock clock_;
  V m_;
  MmuShape shape_;
  intops::IntLinear zero_;
  SignalOf<decltype(V::w_i)> w_;
  SignalOf<decltype(V::x_i)> x_;
  SignalOf<decltype(V::xs_i)> xs_;
  SignalOf<decltype(V::s1_i)> s1_;
  SignalOf<decltype(V::s2_i)> s2_;
  SignalOf<decltype(V::shift_i)> shift_;
  SignalOf<decltype(V::data_o)> out_;
  Signal<bool> first_, last_, valid_, ready_, outValid_, outReady_;
};

}  // namespace

std::unique_ptr<Mmu> makeRtlMmu(const UnitContext& ctx) {
  const AcceleratorConfig& a = *ctx.accel;
  if (a.tp != kTp || a.cop != kCop || a.cip != kCip) {
    throw ConfigError(fmt::format(
        "accelerator.units.mmu: rtl sm_mmu is Verilated for tp = {}, cop = {}, cip = {} "
        "(W4A4 and W8A8); this experiment has tp = {}, cop = {}, cip = {}",
        kTp, kCop, kCip, a.tp, a.cop, a.cip));
  }
  if (a.weightBits() == 4) return std::make_unique<RtlMmu<Vsm_mmu_sc_w4>>(ctx, 4);
  return std::make_unique<RtlMmu<Vsm_mmu_sc_w8>>(ctx, 8);
}

}  // namespace specmamba::platform::rtl
