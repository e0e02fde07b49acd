// sm_gate: yz = y·SiLU(z) against Mamba2Int's trace (y, SiLU(z) quantized,
// yz) of both layers of the quantized tiny-64 model over a token sequence,
// and intops::gateYz on random vectors; random back-pressure; a broken
// variant.
#include <catch2/catch.hpp>

#include "Vsm_gate.h"
#include "Vsm_gate_bug.h"
#include "models/common/Error.h"
#include "models/int/IntOps.h"
#include "models/int/Mamba2Int.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/StreamCheck.h"
#include "tests/rtl/TinyModel.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

// Beat: y (8 x int32) | SiLU(z) q (8 x int8) | its exponent; expected: yz.
constexpr unsigned kBeatW = 256 + 64 + 4;

struct GateVectors {
  std::vector<Bits> beats, expected;
  // One group of 8: y, SiLU(z) (q, s) -> the beat and the golden yz.
  void add(const int32_t* y, const int8_t* zq, int zs) {
    int8_t yq[8];
    const int ys = intops::quantizeGroup(y, 8, 8, yq);
    Bits b(kBeatW), o(256);
    for (unsigned l = 0; l < 8; ++l) {
      b.set(l * 32, 32, uint32_t(y[l]));
      b.set(256 + l * 8, 8, uint64_t(uint8_t(zq[l])));
      o.set(l * 32, 32, uint32_t(intops::gateYz(yq[l], ys, zq[l], zs)));
    }
    b.set(320, 4, uint64_t(zs));
    beats.push_back(b);
    expected.push_back(o);
  }
};

// The gate inputs of every layer of tiny-64 for `tokens` tokens; checks the
// golden gate of each group against the model's own trace as it goes.
void addRealTokens(GateVectors& v, int tokens) {
  const Mamba2Int m(tiny64W4A4());
  const ModelConfig& c = m.config();
  IntState st = m.initialState();
  std::vector<int32_t> residual(size_t(c.dModel));
  for (int t = 0; t < tokens; ++t) {
    m.embed((t * 53 + 11) % c.vocabSize, residual.data());
    for (int l = 0; l < c.nLayer; ++l) {
      IntLayerTrace tr;
      m.layerDecode(l, residual.data(), st.layers[size_t(l)], &tr);
      for (int g = 0; g < c.dInner / 8; ++g) {
        v.add(tr.y.data() + g * 8, tr.zq.q.data() + g * 8, tr.zq.s[size_t(g)]);
        for (unsigned l8 = 0; l8 < 8; ++l8) {
          Bits want(32);
          want.set(0, 32, uint32_t(tr.yz[size_t(g * 8) + l8]));
          REQUIRE(v.expected.back().get(l8 * 32, 32) == want.get(0, 32));
        }
      }
    }
  }
}

void addRandom(GateVectors& v, Rng& rng, size_t groups) {
  while (groups > 0) {
    int32_t y[8];
    int8_t zq[8];
    const unsigned cls = unsigned(rng.below(32)) + 1;
    for (auto& x : y) x = int32_t(spreadSigned(rng, cls));
    for (auto& z : zq) z = int8_t(spreadSigned(rng, 8));
    const int zs = int(rng.below(16));
    try {
      v.add(y, zq, zs);
      --groups;
    } catch (const Error&) {  // yz does not fit 32 bits: not a valid input
    }
  }
}

template <typename Dut>
StreamRun runGate(Dut& dut, Rng& rng, const GateVectors& v, double pv, double pr) {
  reset(dut);
  auto put = [](Dut& d, const Bits& b) {
    b.slice(0, 256).store(d.y_i);
    d.zq_i = b.get(256, 64);
    d.zs_i = uint8_t(b.get(320, 4));
  };
  auto get = [](Dut& d) {
    Bits o(256);
    o.load(d.data_o);
    return o;
  };
  return runStream(dut, rng, v.beats, v.expected.size(), put, get, pv, pr);
}

}  // namespace

TEST_CASE("sm_gate matches Mamba2Int's gate on tiny-64 and intops::gateYz on random vectors", "[rtl][gate]") {
  Rng rng(testSeed("sm_gate", 0xF1));
  GateVectors v;
  addRealTokens(v, 12);  // 2 layers x 12 tokens x 16 groups
  addRandom(v, rng, 10000);
  checkStreamUnit<Vsm_gate>(
      "sm_gate (8 lanes)", rng,
      [&](Vsm_gate& d, Rng& r, double pv, double pr) { return runGate(d, r, v, pv, pr); }, v.expected, 3);
}

TEST_CASE("sm_gate regression catches a wrong output shift", "[rtl][gate]") {
  Rng rng(testSeed("sm_gate bug", 0xF2));
  GateVectors v;
  addRandom(v, rng, 200);
  Vsm_gate_bug dut;
  CHECK(countMismatches(runGate(dut, rng, v, 0.7, 0.6).outputs, v.expected) > 0);
}
