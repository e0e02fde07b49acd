// sm_conv1d: depthwise conv1d with on-chip state against intops::conv1dStep
// over many tokens (the state carries from token to token), groups in random
// order within a token, random back-pressure, the window port (state loaded
// from and stored back to memory), plus a broken variant.
#include <catch2/catch.hpp>

#include <numeric>

#include "Vsm_conv1d.h"
#include "Vsm_conv1d_bug.h"
#include "Vsm_conv1d_g72.h"
#include "models/common/Error.h"
#include "models/int/IntOps.h"
#include "tests/rtl/GoldenFiles.h"
#include "tests/rtl/RtlCycles.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/StatePorts.h"
#include "tests/rtl/StreamCheck.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

constexpr unsigned kGroups = 8, kChannels = 8 * kGroups, kKernel = 4;  // match rtl_model()

// Beat layout in a Bits: group (8 bits, the port takes what it needs) | clear | x | xs | w | ws | b | bs.
constexpr unsigned kBeatW = 8 + 1 + 64 + 4 + kKernel * 64 + kKernel * 4 + 64 + 4;

struct ConvVectors {
  std::vector<Bits> beats, expected;
};

// One token's beats, its groups in `order` (clear: the first token).
void packToken(const intops::IntConv& c, const int8_t* xq, const uint8_t* xs, const int32_t* y, bool clear,
               const std::vector<unsigned>& order, ConvVectors& v) {
  const unsigned ch = unsigned(c.channels), groups = ch / 8;
  for (unsigned g : order) {
    Bits b(kBeatW), o(8 * 32);
    unsigned pos = 0;
    b.set(pos, 8, g);
    b.set(pos + 8, 1, clear);
    pos += 9;
    for (unsigned j = 0; j < 8; ++j) b.set(pos + j * 8, 8, uint64_t(xq[g * 8 + j]));
    b.set(pos + 64, 4, xs[g]);
    pos += 68;
    for (unsigned k = 0; k < kKernel; ++k) {
      for (unsigned j = 0; j < 8; ++j) b.set(pos + k * 64 + j * 8, 8, uint64_t(c.w[k * ch + g * 8 + j]));
      b.set(pos + kKernel * 64 + k * 4, 4, c.ws[k * groups + g]);
    }
    pos += kKernel * 68;
    for (unsigned j = 0; j < 8; ++j) b.set(pos + j * 8, 8, uint64_t(c.b[g * 8 + j]));
    b.set(pos + 64, 4, c.bs[g]);
    for (unsigned j = 0; j < 8; ++j) o.set(j * 32, 32, uint32_t(y[g * 8 + j]));
    v.beats.push_back(b);
    v.expected.push_back(o);
  }
}

void shuffle(Rng& rng, std::vector<unsigned>& order) {
  for (size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
}

intops::IntConv randomConv(Rng& rng) {
  intops::IntConv c;
  c.channels = int(kChannels);
  c.kernel = int(kKernel);
  for (unsigned i = 0; i < kKernel * kChannels; ++i) c.w.push_back(int8_t(rng.next()));
  for (unsigned i = 0; i < kKernel * kGroups; ++i) c.ws.push_back(uint8_t(rng.below(8)));
  for (unsigned i = 0; i < kChannels; ++i) c.b.push_back(int8_t(rng.next()));
  for (unsigned i = 0; i < kGroups; ++i) c.bs.push_back(uint8_t(rng.below(16)));
  return c;
}

// `tokens` tokens from window `win` (which they advance); clear_i on the
// first token when `clearFirst` (win must then be zero).
ConvVectors makeVectors(Rng& rng, const intops::IntConv& c, intops::ConvWindow& win, unsigned tokens,
                        bool clearFirst) {
  ConvVectors v;
  std::vector<unsigned> order(kGroups);
  std::iota(order.begin(), order.end(), 0u);
  for (unsigned t = 0; t < tokens; ++t) {
    std::vector<int8_t> xq(kChannels);
    std::vector<uint8_t> xs(kGroups);
    std::vector<int32_t> y(kChannels);
    int xsMax = 15;
    for (;;) {
      for (auto& e : xq) e = int8_t(spreadSigned(rng, 8));
      for (auto& e : xs) e = uint8_t(rng.below(uint64_t(xsMax) + 1));
      try {
        intops::conv1dStep(c, win, xq.data(), xs.data(), y.data());
        break;
      } catch (const Error&) {
        xsMax = std::max(0, xsMax - 3);  // the window is only shifted on success
      }
    }
    shuffle(rng, order);
    packToken(c, xq.data(), xs.data(), y.data(), clearFirst && t == 0, order, v);
  }
  return v;
}

ConvVectors makeVectors(Rng& rng, unsigned tokens) {
  const intops::IntConv c = randomConv(rng);
  intops::ConvWindow win = intops::zeroConvWindow(c);
  return makeVectors(rng, c, win, tokens, true);
}

Bits windowBits(const intops::ConvWindow& win, unsigned g) { return convWindowBits(win, g, kGroups, kKernel); }

template <typename Dut>
StreamRun runConv(Dut& dut, Rng& rng, const ConvVectors& v, double pv, double pr, bool doReset = true) {
  if (doReset) reset(dut);
  auto put = [](Dut& d, const Bits& b) {
    unsigned pos = 0;
    d.group_i = uint8_t(b.get(pos, 8));
    d.clear_i = uint8_t(b.get(pos + 8, 1));
    pos += 9;
    d.x_i = b.get(pos, 64);
    d.xs_i = uint8_t(b.get(pos + 64, 4));
    pos += 68;
    b.slice(pos, kKernel * 64).store(d.w_i);
    d.ws_i = uint16_t(b.get(pos + kKernel * 64, kKernel * 4));
    pos += kKernel * 68;
    d.b_i = b.get(pos, 64);
    d.bs_i = uint8_t(b.get(pos + 64, 4));
  };
  auto get = [](Dut& d) {
    Bits o(8 * 32);
    o.load(d.data_o);
    return o;
  };
  return runStream(dut, rng, v.beats, v.expected.size(), put, get, pv, pr);
}

}  // namespace

TEST_CASE("sm_conv1d matches intops::conv1dStep token after token under back-pressure", "[rtl][conv]") {
  Rng rng(testSeed("sm_conv1d", 0xB1));
  const ConvVectors v = makeVectors(rng, 1300);  // 10,400 beats
  checkStreamUnit<Vsm_conv1d>(
      "sm_conv1d (8 channels/beat)", rng,
      [&](Vsm_conv1d& d, Rng& r, double pv, double pr) { return runConv(d, r, v, pv, pr); }, v.expected, 2);
}

TEST_CASE("sm_conv1d regression catches a round-to-nearest output shift", "[rtl][conv]") {
  Rng rng(testSeed("sm_conv1d bug", 0xB2));
  const ConvVectors v = makeVectors(rng, 200);
  Vsm_conv1d_bug dut;
  CHECK(countMismatches(runConv(dut, rng, v, 0.7, 0.6).outputs, v.expected) > 0);
}

TEST_CASE("sm_conv1d loads and stores its conv state through the window port", "[rtl][conv]") {
  Rng rng(testSeed("sm_conv1d window port", 0xB4));
  const intops::IntConv c = randomConv(rng);
  intops::ConvWindow win = intops::zeroConvWindow(c);
  for (auto& q : win.q) q = int8_t(spreadSigned(rng, 8));
  for (auto& s : win.s) s = uint8_t(rng.below(8));
  Vsm_conv1d dut;
  reset(dut);
  dut.win_we_i = 1;
  for (unsigned g = 0; g < kGroups; ++g) {
    dut.win_addr_i = uint8_t(g);
    windowBits(win, g).store(dut.win_wdata_i);
    tick(dut);
  }
  dut.win_we_i = 0;
  for (int chunk = 0; chunk < 20; ++chunk) {  // 20 x 5 tokens, state read back after each chunk
    const ConvVectors v = makeVectors(rng, c, win, 5, false);
    const StreamRun run = runConv(dut, rng, v, 0.7, 0.6, false);
    dut.valid_i = 0;
    tick(dut);  // the last beat leaves stage 1
    CHECK(run.protocolOk);
    CHECK(countMismatches(run.outputs, v.expected) == 0);
    dut.win_re_i = 1;
    for (unsigned g = 0; g < kGroups; ++g) {
      dut.win_addr_i = uint8_t(g);
      tick(dut);
      Bits got((kKernel - 1) * 68);
      got.load(dut.win_rdata_o);
      CHECK(sameBits(got, windowBits(win, g)));
    }
    dut.win_re_i = 0;
  }
}

TEST_CASE("sm_conv1d runs the exported layers' conv over the token sequence and from each exported state",
          "[rtl][conv][real]") {
  constexpr unsigned kMaxGroups = 72;  // Vsm_conv1d_g72: a whole tiny-256 layer
  Rng rng(testSeed("sm_conv1d real", 0xB3));
  size_t beats = 0;
  forEachGolden([&](const GoldenFiles& g) {
    for (int l = 0; l < g.layers(); ++l) {
      const intops::IntConv c = convOf(g.weights(l)["conv"]);
      REQUIRE(c.kernel == int(kKernel));
      REQUIRE(c.channels % 8 == 0);
      REQUIRE(unsigned(c.channels) / 8 <= kMaxGroups);
      const Json tokens = g.tokens(l);
      // The unit starts from a cleared window: the export starts from the zero state, and
      // each token's state is the one the previous token left.
      for (const auto& q : tokens[0]["state_before"]["conv"]["q"]) REQUIRE(q == 0);
      for (size_t t = 1; t < tokens.size(); ++t)
        REQUIRE(tokens[t]["state_before"]["conv"] == tokens[t - 1]["state_after"]["conv"]);
      std::vector<unsigned> order(unsigned(c.channels) / 8);
      std::iota(order.begin(), order.end(), 0u);
      ConvVectors v;
      for (size_t t = 0; t < tokens.size(); ++t) {
        const intops::PotVector x = potOf(tokens[t]["trace"]["conv_in"]);
        const auto y = vec<int32_t>(tokens[t]["trace"]["conv_out"]);
        REQUIRE(x.q.size() == size_t(c.channels));
        REQUIRE(y.size() == size_t(c.channels));
        shuffle(rng, order);
        packToken(c, x.q.data(), x.s.data(), y.data(), t == 0, order, v);
      }
      INFO("layer " << l << ", " << c.channels << " channels");
      checkStalled<Vsm_conv1d_g72>(
          rng, [&](Vsm_conv1d_g72& d, Rng& r, double pv, double pr) { return runConv(d, r, v, pv, pr); },
          v.expected);
      beats += v.beats.size();

      // Restart from each token's exported state: the window has no load port, so its
      // Kernel-1 entries (oldest first) go in as priming beats (outputs ignored), then the token.
      ConvVectors primed;
      std::vector<size_t> checked;
      const std::vector<int32_t> ignored(size_t(c.channels), 0);
      const size_t groups = size_t(c.channels) / 8;
      for (const Json& t : tokens) {
        const auto wq = vec<int8_t>(t["state_before"]["conv"]["q"]);
        const auto ws = vec<uint8_t>(t["state_before"]["conv"]["s"]);
        REQUIRE(wq.size() == (kKernel - 1) * size_t(c.channels));
        REQUIRE(ws.size() == (kKernel - 1) * groups);
        for (unsigned k = 0; k + 1 < kKernel; ++k) {
          shuffle(rng, order);
          packToken(c, &wq[k * size_t(c.channels)], &ws[k * groups], ignored.data(), k == 0, order, primed);
        }
        const intops::PotVector x = potOf(t["trace"]["conv_in"]);
        const auto y = vec<int32_t>(t["trace"]["conv_out"]);
        for (size_t i = 0; i < groups; ++i) checked.push_back(primed.beats.size() + i);
        shuffle(rng, order);
        packToken(c, x.q.data(), x.s.data(), y.data(), false, order, primed);
      }
      Vsm_conv1d_g72 dut;
      const StreamRun run = runConv(dut, rng, primed, 0.7, 0.6);
      CHECK(run.protocolOk);
      REQUIRE(run.outputs.size() == primed.beats.size());
      std::vector<Bits> got, want;
      for (const size_t i : checked) {
        got.push_back(run.outputs[i]);
        want.push_back(primed.expected[i]);
      }
      INFO("restarted from each token's state_before");
      CHECK(countMismatches(got, want) == 0);
    }
  });
  std::printf("[sm_conv1d real] %zu real beats\n", beats);
  CHECK(beats > 0);
}
