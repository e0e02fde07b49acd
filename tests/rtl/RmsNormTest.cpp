// sm_rmsnorm: the LUT RMSNorm unit, loaded with intops::makeRmsLut()'s
// tables, against intops::rmsnorm on vectors of random length and scale,
// random back-pressure, plus a broken variant.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "Vsm_rmsnorm.h"
#include "Vsm_rmsnorm_bug.h"
#include "models/common/Error.h"
#include "models/int/IntOps.h"
#include "models/int/IntTables.h"
#include "tests/rtl/GoldenFiles.h"
#include "tests/rtl/RtlCycles.h"
#include "tests/rtl/RmsLutPort.h"
#include "tests/rtl/RtlTestSupport.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

constexpr unsigned kLanes = 8, kMaxBeats = 64, kWBits = 13;  // match rtl_model()
constexpr unsigned kBeatW = kLanes * 32 + kLanes * kWBits + 1;  // x | w | last

template <typename Dut>
void configure(Dut& dut, const intops::RmsLut& L) {
  dut.valid_i = 0;
  dut.ready_i = 0;
  loadRmsLut(dut, L);
  dut.eval();
}

struct RmsVectors {
  std::vector<Bits> beats, expected;  // expected: y | last
};

// One vector of n (a multiple of kLanes) inputs, weights and golden outputs.
void packVector(const int32_t* x, const int16_t* w, const int32_t* y, unsigned n, RmsVectors& v) {
  const unsigned beats = n / kLanes;
  for (unsigned b = 0; b < beats; ++b) {
    Bits in(kBeatW), out(kLanes * 32 + 1);
    for (unsigned l = 0; l < kLanes; ++l) {
      in.set(l * 32, 32, uint32_t(x[b * kLanes + l]));
      in.set(kLanes * 32 + l * kWBits, kWBits, uint64_t(w[b * kLanes + l]));
      out.set(l * 32, 32, uint32_t(y[b * kLanes + l]));
    }
    in.set(kBeatW - 1, 1, b + 1 == beats);
    out.set(kLanes * 32, 1, b + 1 == beats);
    v.beats.push_back(in);
    v.expected.push_back(out);
  }
}

RmsVectors makeVectors(Rng& rng, const intops::RmsLut& L, size_t minBeats) {
  RmsVectors v;
  while (v.beats.size() < minBeats) {
    const unsigned beats = 1 + unsigned(rng.below(kMaxBeats));
    const unsigned n = beats * kLanes;
    std::vector<int32_t> x(n), y(n);
    std::vector<int16_t> w(n);
    for (auto& e : w) e = int16_t(spreadSigned(rng, kWBits));
    unsigned bits = 1 + unsigned(rng.below(28));
    for (;;) {
      for (auto& e : x) e = int32_t(spreadSigned(rng, bits));
      try {
        intops::rmsnorm(L, x.data(), w.data(), int(n), y.data());
        break;
      } catch (const Error&) {
        bits = std::max(1u, bits - 2);
      }
    }
    packVector(x.data(), w.data(), y.data(), n, v);
  }
  return v;
}

template <typename Dut>
StreamRun runNorm(Dut& dut, Rng& rng, const intops::RmsLut& L, const RmsVectors& v, double pv, double pr) {
  reset(dut);
  configure(dut, L);
  auto put = [](Dut& d, const Bits& b) {
    b.slice(0, kLanes * 32).store(d.x_i);
    b.slice(kLanes * 32, kLanes * kWBits).store(d.w_i);
    d.last_i = uint8_t(b.get(kBeatW - 1, 1));
  };
  auto get = [](Dut& d) {
    Bits o(kLanes * 32 + 1), y(kLanes * 32);
    y.load(d.data_o);
    o.setBits(0, y);
    o.set(kLanes * 32, 1, d.last_o);
    return o;
  };
  return runStream(dut, rng, v.beats, v.expected.size(), put, get, pv, pr);
}

}  // namespace

TEST_CASE("sm_rmsnorm matches intops::rmsnorm under back-pressure", "[rtl][norm]") {
  Rng rng(testSeed("sm_rmsnorm", 0xC1));
  const intops::RmsLut L = intops::makeRmsLut(256, 1e-5, intops::kResidualFrac);
  const RmsVectors v = makeVectors(rng, L, 10000);
  Vsm_rmsnorm dut;
  const StreamRun run = runNorm(dut, rng, L, v, 0.7, 0.6);
  CHECK(run.protocolOk);
  CHECK(countMismatches(run.outputs, v.expected) == 0);
  // Cycle figures: one vector of kMaxBeats beats, no stalls.
  RmsVectors one;
  while (one.beats.size() != kMaxBeats) one = makeVectors(rng, L, 1);
  Vsm_rmsnorm free;
  const StreamRun fast = runNorm(free, rng, L, one, 1.0, 1.0);
  REQUIRE(countMismatches(fast.outputs, one.expected) == 0);
  const uint64_t latency = fast.firstOutCycle - (fast.firstInCycle + kMaxBeats - 1);
  const double cyclesPerVector = double(fast.lastOutCycle - fast.firstInCycle + 1);
  recordCycles("sm_rmsnorm 64-beat vector (latency from last input; II = cycles per vector)", latency,
               cyclesPerVector);
  CHECK(latency == 4);
}

TEST_CASE("sm_rmsnorm regression catches a sub-table threshold off by one", "[rtl][norm]") {
  Rng rng(testSeed("sm_rmsnorm bug", 0xC2));
  const intops::RmsLut L = intops::makeRmsLut(256, 1e-5, intops::kResidualFrac);
  RmsVectors v;
  // Sums exactly at a threshold: one element sqrt(alpha_i) when alpha_i is a square.
  for (int i = 1; i < intops::kRmsSubTables; ++i) {
    const auto root = int64_t(std::llround(std::sqrt(double(L.alpha[i]))));
    if (root * root != L.alpha[i] || root > INT32_MAX) continue;
    Bits in(kBeatW), out(kLanes * 32 + 1);
    int32_t x[kLanes] = {int32_t(root)}, y[kLanes];
    int16_t w[kLanes] = {255, 0, 0, 0, 0, 0, 0, 0};
    intops::rmsnorm(L, x, w, int(kLanes), y);
    for (unsigned l = 0; l < kLanes; ++l) {
      in.set(l * 32, 32, uint32_t(x[l]));
      in.set(kLanes * 32 + l * kWBits, kWBits, uint64_t(w[l]));
      out.set(l * 32, 32, uint32_t(y[l]));
    }
    in.set(kBeatW - 1, 1, 1);
    out.set(kLanes * 32, 1, 1);
    v.beats.push_back(in);
    v.expected.push_back(out);
  }
  INFO("thresholds that are perfect squares: " << v.beats.size());
  REQUIRE(!v.beats.empty());
  Vsm_rmsnorm good;
  REQUIRE(countMismatches(runNorm(good, rng, L, v, 0.7, 0.6).outputs, v.expected) == 0);
  Vsm_rmsnorm_bug bad;
  CHECK(countMismatches(runNorm(bad, rng, L, v, 0.7, 0.6).outputs, v.expected) > 0);
}

TEST_CASE("sm_rmsnorm, loaded with each layer's tables, matches the exported norm and gated norm",
          "[rtl][norm][real]") {
  Rng rng(testSeed("sm_rmsnorm real", 0xC3));
  size_t vectors = 0;
  forEachGolden([&](const GoldenFiles& g) {
    for (int l = 0; l < g.layers(); ++l) {
      const Json w = g.weights(l);
      const Json tokens = g.tokens(l);
      // pre-norm: residual -> u (int11 weights); gated norm: yz -> gated (int13 weights)
      for (const auto& [table, weight, in, out] :
           {std::array<const char*, 4>{"norm", "norm_w", "residual_in", "u"},
            std::array<const char*, 4>{"gated_norm", "gated_norm_w", "yz", "gated"}}) {
        const intops::RmsLut L = rmsLutOf(w[table]);
        const auto wq = vec<int16_t>(w[weight]);
        for (const int16_t e : wq) REQUIRE((e >= -(1 << (kWBits - 1)) && e < (1 << (kWBits - 1))));
        REQUIRE(wq.size() % kLanes == 0);
        REQUIRE(wq.size() <= kLanes * kMaxBeats);
        RmsVectors v;
        for (const Json& t : tokens) {
          const auto x = vec<int32_t>(t["trace"][in]), y = vec<int32_t>(t["trace"][out]);
          REQUIRE(x.size() == wq.size());
          REQUIRE(y.size() == wq.size());
          packVector(x.data(), wq.data(), y.data(), unsigned(wq.size()), v);
        }
        INFO("layer " << l << " " << table << ", vectors of " << wq.size());
        Vsm_rmsnorm dut;
        const StreamRun run = runNorm(dut, rng, L, v, 0.7, 0.6);
        CHECK(run.protocolOk);
        CHECK(countMismatches(run.outputs, v.expected) == 0);
        vectors += tokens.size();
      }
    }
  });
  std::printf("[sm_rmsnorm real] %zu real vectors\n", vectors);
  CHECK(vectors > 0);
}
