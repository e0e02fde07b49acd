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
#include "tests/rtl/GoldenFiles.h"
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

// One token's beats (one per head, n and 8 lanes of headdim): dA, dB, the
// state before and x in; h' and the re-quantized state after expected.
void packToken(int H, int P, int N, const intops::PotVector& dA, const intops::PotVector& dB,
               const intops::SsmState& before, const intops::PotVector& x, const std::vector<int32_t>& hNew,
               const intops::SsmState& after, SsmVectors& v) {
  const int D = H * P;
  for (int h = 0; h < H; ++h) {
    for (int n = 0; n < N; ++n) {
      for (int p0 = 0; p0 < P; p0 += 8) {
        const size_t i = size_t(n) * D + size_t(h) * P + size_t(p0);  // [N][d_inner]
        const size_t xi = size_t(h) * P + size_t(p0);
        const size_t bi = size_t(h) * N + size_t(n);
        Bits b(kBeatW), o(kOutW);
        unsigned pos = 0;
        auto put = [&](unsigned w, uint64_t val) {
          b.set(pos, w, val);
          pos += w;
        };
        put(8, uint64_t(dA.q[size_t(h)]));
        put(4, dA.s[size_t(h / 8)]);
        put(8, uint64_t(dB.q[bi]));
        put(4, dB.s[bi / 8]);
        for (int l = 0; l < 8; ++l) b.set(pos + unsigned(l) * 8, 8, uint64_t(before.h[i + size_t(l)]));
        pos += 64;
        put(4, before.s[i / 8]);
        for (int l = 0; l < 8; ++l) b.set(pos + unsigned(l) * 8, 8, uint64_t(x.q[xi + size_t(l)]));
        pos += 64;
        put(4, x.s[xi / 8]);
        for (int l = 0; l < 8; ++l) {
          o.set(unsigned(l) * 32, 32, uint32_t(hNew[i + size_t(l)]));
          o.set(256 + unsigned(l) * 8, 8, uint64_t(after.h[i + size_t(l)]));
        }
        o.set(320, 4, after.s[i / 8]);
        v.beats.push_back(b);
        v.expected.push_back(o);
      }
    }
  }
}

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
    packToken(kHeads, kP, kN, tr.dA, tr.dB, old, x, tr.hNew, st, v);
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

TEST_CASE("sm_ssm_update matches the exported layers' state update token after token", "[rtl][ssmu][real]") {
  Rng rng(testSeed("sm_ssm_update real", 0xD3));
  size_t beats = 0;
  forEachGolden([&](const GoldenFiles& g) {
    const int H = g.manifest()["nheads"], P = g.manifest()["headdim"], N = g.manifest()["d_state"];
    REQUIRE(P % 8 == 0);
    auto state = [](const Json& j) {
      intops::SsmState st;
      st.h = vec<int8_t>(j["h"]);
      st.s = vec<uint8_t>(j["s"]);
      return st;
    };
    for (int l = 0; l < g.layers(); ++l) {
      const Json tokens = g.tokens(l);
      SsmVectors v;
      for (const Json& t : tokens) {
        const Json& tr = t["trace"];
        const intops::PotVector xbc = potOf(tr["xbc"]), dA = potOf(tr["ssm"]["dA"]), dB = potOf(tr["ssm"]["dB"]);
        intops::PotVector x;  // x | B | C: the first d_inner
        x.q.assign(xbc.q.begin(), xbc.q.begin() + H * P);
        x.s.assign(xbc.s.begin(), xbc.s.begin() + H * P / 8);
        const intops::SsmState before = state(t["state_before"]["ssm"]), after = state(t["state_after"]["ssm"]);
        const auto hNew = vec<int32_t>(tr["ssm"]["h_new"]);
        REQUIRE(dA.q.size() == size_t(H));
        REQUIRE(dB.q.size() == size_t(H) * size_t(N));
        REQUIRE(hNew.size() == size_t(N) * size_t(H * P));
        REQUIRE(before.h.size() == hNew.size());
        packToken(H, P, N, dA, dB, before, x, hNew, after, v);
      }
      INFO("layer " << l << ", " << v.beats.size() << " beats");
      checkStalled<Vsm_ssm_update>(
          rng, [&](Vsm_ssm_update& d, Rng& r, double pv, double pr) { return runSsm(d, r, v, pv, pr); },
          v.expected);
      beats += v.beats.size();
    }
  });
  std::printf("[sm_ssm_update real] %zu real beats\n", beats);
  CHECK(beats > 0);
}
