// Conv timing twin: (c1 - c0) / PP beats through the input quantizer, the
// conv, the SiLU LUT and the output quantizer (pipelined, II 1); values from
// intops::conv1dStep over the channel range (bit-exact with
// Mamba2Int::convInput / prepare: every step is channel-local or per group of 8).
#include <vector>

#include "sim/platform/units/Conv.h"
#include "sim/platform/units/UnitTiming.h"

namespace specmamba::platform {

namespace {

using intops::kGroup;

// Channels [c0, c0 + n) of a [rows][channels] array (and of its [rows][channels / 8] exponents).
template <class T>
std::vector<T> columns(const std::vector<T>& all, int rows, int channels, int c0, int n) {
  std::vector<T> out(size_t(rows) * size_t(n));
  for (int r = 0; r < rows; ++r) {
    std::copy(all.begin() + long(r) * channels + c0, all.begin() + long(r) * channels + c0 + n,
              out.begin() + long(r) * n);
  }
  return out;
}

class FastConv final : public Conv {
 public:
  explicit FastConv(const UnitContext& ctx) : ctx_(ctx) {}

  void channels(const ConvJob& job) override {
    const int n = job.c1 - job.c0;
    const Cycle beats = Cycle((n + ctx_.accel->pp - 1) / ctx_.accel->pp);
    ctx_.compute(UnitKind::Conv, beats + Cycle(kActQuantTiming.latency + kConvTiming.latency +
                                               kLutTiming.latency + kActQuantTiming.latency));
    if (!job.zx) return;
    const ModelConfig& m = *ctx_.model;
    const int D = m.dInner, N = m.dState, C = m.convDim(), K = m.dConv, c0 = job.c0;
    intops::PotVector& in = *job.convIn;
    intops::quantizePot(job.zx + D + c0, n, 8, in.q.data() + c0, in.s.data() + c0 / kGroup);

    const intops::IntConv& w = *job.weights;
    intops::IntConv sub;
    sub.channels = n;
    sub.kernel = K;
    sub.w = columns(w.w, K, C, c0, n);
    sub.ws = columns(w.ws, K, C / kGroup, c0 / kGroup, n / kGroup);
    sub.b = columns(w.b, 1, C, c0, n);
    sub.bs = columns(w.bs, 1, C / kGroup, c0 / kGroup, n / kGroup);
    intops::ConvWindow win{columns(job.window->q, K - 1, C, c0, n),
                           columns(job.window->s, K - 1, C / kGroup, c0 / kGroup, n / kGroup)};
    std::vector<int32_t> y(size_t(n), 0);
    intops::conv1dStep(sub, win, in.q.data() + c0, in.s.data() + c0 / kGroup, y.data());
    const intops::Lut& silu = ctx_.golden->weights().silu;
    for (int32_t& v : y) v = intops::lut(silu, v);
    // SiLU outputs, one group of 8 at a time, into x | B | C.
    for (int g = 0; g < n; g += kGroup) {
      const int c = c0 + g;
      intops::PotVector& dst = c < D ? job.out->x : (c < D + N ? job.out->B : job.out->C);
      const int at = c < D ? c : (c < D + N ? c - D : c - D - N);
      dst.s[size_t(at / kGroup)] =
          uint8_t(intops::quantizeGroup(y.data() + g, kGroup, 8, dst.q.data() + at));
    }
  }

 private:
  UnitContext ctx_;
};

}  // namespace

std::unique_ptr<Conv> makeFastConv(const UnitContext& ctx) {
  return std::make_unique<FastConv>(ctx);
}

}  // namespace specmamba::platform
