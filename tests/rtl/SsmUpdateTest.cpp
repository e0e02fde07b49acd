// sm_ssm_update: the SSMU state-update lanes against intops::ssmStep (its
// trace gives dA, dB and h'; the state it leaves is the re-quantized h),
// token after token on a small model, random back-pressure, plus a broken
// variant.
#include <catch2/catch.hpp>

#include "Vsm_ssm_update.h"
#include "Vsm_ssm_update_bug.h"
#include "models/common/Error.h"
#include "models/int/IntOps.h"
#include "models/int/IntTables.h"
#include "tests/rtl/RtlCycles.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/StreamCheck.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

constexpr int kHeads = 8, kP = 16, kN = 16, kD = kHeads * kP;
// Beat: da | das | db | dbs | h | hs | x | xs ; expected: hnew | hq | hs.
constexpr unsigned kBeatW = 8 + 4 + 8 + 4 + 64 + 4 + 64 + 4;
constexpr unsigned kOutW = 8 * 32 + 64 + 4;

intops::PotVector randomPot(Rng& rng, int n, int sMax) {
  intops::PotVector v(n);
  for (auto& q : v.q) q = int8_t(spreadSigned(rng, 8));
  for (auto& s : v.s) s = uint8_t(rng.below(uint64_t(sMax) + 1));
  return v;
}

struct SsmVectors {
  std::vector<Bits> beats, expected;
};

SsmVectors makeVectors(Rng& rng, int tokens) {
  std::vector<int16_t> aQ(kHeads);
  std::vector<int8_t> dQ(kHeads);
  std::vector<uint8_t> aS(kHeads / 8), dS(kHeads / 8);
  for (auto& a : aQ) a = int16_t(-1 - int(rng.below(2000)));
  for (auto& d : dQ) d = int8_t(spreadSigned(rng, 8));
  for (auto& s : aS) s = uint8_t(rng.below(4));
  for (auto& s : dS) s = uint8_t(rng.below(4));
  const intops::Lut expL = intops::expLut();
  intops::SsmParams p;
  p.nHeads = kHeads;
  p.headdim = kP;
  p.dState = kN;
  p.aQ = aQ.data();
  p.aS = aS.data();
  p.dQ = dQ.data();
  p.dS = dS.data();
  p.exp = &expL;
  intops::SsmState st = intops::zeroSsmState(kHeads, kP, kN);
  SsmVectors v;
  std::vector<int32_t> y(kD);
  for (int t = 0; t < tokens; ++t) {
    const intops::SsmState old = st;
    intops::SsmTrace tr;
    intops::PotVector x, B;
    int sMax = 15;
    for (;;) {
      x = randomPot(rng, kD, sMax);
      B = randomPot(rng, kN, sMax);
      const intops::PotVector C = randomPot(rng, kN, sMax);
      const intops::PotVector dt = randomPot(rng, kHeads, sMax);
      try {
        intops::ssmStep(p, x, B, C, dt, st, y.data(), &tr);
        break;
      } catch (const Error&) {
        st = old;
        sMax = std::max(0, sMax - 2);
      }
    }
    for (int h = 0; h < kHeads; ++h) {
      for (int n = 0; n < kN; ++n) {
        for (int p0 = 0; p0 < kP; p0 += 8) {
          const size_t i = size_t(n) * kD + size_t(h) * kP + size_t(p0);  // [N][d_inner]
          const size_t xi = size_t(h) * kP + size_t(p0);
          const size_t bi = size_t(h) * kN + size_t(n);
          Bits b(kBeatW), o(kOutW);
          unsigned pos = 0;
          auto put = [&](unsigned w, uint64_t val) {
            b.set(pos, w, val);
            pos += w;
          };
          put(8, uint64_t(tr.dA.q[size_t(h)]));
          put(4, tr.dA.s[size_t(h / 8)]);
          put(8, uint64_t(tr.dB.q[bi]));
          put(4, tr.dB.s[bi / 8]);
          for (int l = 0; l < 8; ++l) b.set(pos + unsigned(l) * 8, 8, uint64_t(old.h[i + size_t(l)]));
          pos += 64;
          put(4, old.s[i / 8]);
          for (int l = 0; l < 8; ++l) b.set(pos + unsigned(l) * 8, 8, uint64_t(x.q[xi + size_t(l)]));
          pos += 64;
          put(4, x.s[xi / 8]);
          for (int l = 0; l < 8; ++l) {
            o.set(unsigned(l) * 32, 32, uint32_t(tr.hNew[i + size_t(l)]));
            o.set(256 + unsigned(l) * 8, 8, uint64_t(st.h[i + size_t(l)]));
          }
          o.set(320, 4, st.s[i / 8]);
          v.beats.push_back(b);
          v.expected.push_back(o);
        }
      }
    }
  }
  return v;
}

template <typename Dut>
StreamRun runSsm(Dut& dut, Rng& rng, const SsmVectors& v, double pv, double pr) {
  reset(dut);
  auto put = [](Dut& d, const Bits& b) {
    d.da_i = uint8_t(b.get(0, 8));
    d.das_i = uint8_t(b.get(8, 4));
    d.db_i = uint8_t(b.get(12, 8));
    d.dbs_i = uint8_t(b.get(20, 4));
    d.h_i = b.get(24, 64);
    d.hs_i = uint8_t(b.get(88, 4));
    d.x_i = b.get(92, 64);
    d.xs_i = uint8_t(b.get(156, 4));
  };
  auto get = [](Dut& d) {
    Bits o(kOutW), h(256);
    h.load(d.hnew_o);
    o.setBits(0, h);
    o.set(256, 64, d.hq_o);
    o.set(320, 4, d.hs_o);
    return o;
  };
  return runStream(dut, rng, v.beats, v.expected.size(), put, get, pv, pr);
}

}  // namespace

TEST_CASE("sm_ssm_update matches intops::ssmStep's state update under back-pressure", "[rtl][ssmu]") {
  Rng rng(testSeed("sm_ssm_update", 0xD1));
  const SsmVectors v = makeVectors(rng, 40);  // 256 beats a token
  checkStreamUnit<Vsm_ssm_update>(
      "sm_ssm_update (PP=8 lanes)", rng,
      [&](Vsm_ssm_update& d, Rng& r, double pv, double pr) { return runSsm(d, r, v, pv, pr); }, v.expected, 3);
}

TEST_CASE("sm_ssm_update regression catches a wrong dBx shift", "[rtl][ssmu]") {
  Rng rng(testSeed("sm_ssm_update bug", 0xD2));
  const SsmVectors v = makeVectors(rng, 4);
  Vsm_ssm_update_bug dut;
  CHECK(countMismatches(runSsm(dut, rng, v, 0.7, 0.6).outputs, v.expected) > 0);
}
