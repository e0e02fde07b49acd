// sm_mmu: Tp x Cop x Cip PoT-scaled MACs against intops::linearBatch (the
// golden W4A4 / W8A8 linear layer), whole output tiles of random length,
// random back-pressure, Tp = 2 weight reuse, and a broken variant.
#include <catch2/catch.hpp>

#include "Vsm_mmu_w4_bug.h"
#include "Vsm_mmu_w4_tp2.h"
#include "Vsm_mmu_w8.h"
#include "models/common/Error.h"
#include "models/int/IntOps.h"
#include "sim/platform/rtl/MmuBeat.h"
#include "tests/rtl/GoldenFiles.h"
#include "tests/rtl/RtlCycles.h"
#include "tests/rtl/RtlTestSupport.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

using rtl::MmuShape;
constexpr unsigned kCop = 8, kCip = 8;  // MmuShape's defaults, as in rtl_model()

struct MmuVectors {
  std::vector<Bits> beats;
  std::vector<Bits> expected;  // one per tile
  size_t outputs = 0;          // int32 outputs compared
};

// The beats of output rows [r0, r0 + Cop) of L for sh.tp tokens (x, xs:
// [tp][cols]; y: [tp][rows], the golden outputs) and the expected tile.
void packTile(const MmuShape& sh, const intops::IntLinear& L, unsigned r0, const int8_t* x, const uint8_t* xs,
              const int32_t* y, MmuVectors& v) {
  const unsigned nBeats = unsigned(L.cols) / kCip;
  for (unsigned b = 0; b < nBeats; ++b) v.beats.push_back(packMmuBeat(sh, L, sh.tp, x, xs, b, r0));
  Bits out(sh.outW());
  for (unsigned t = 0; t < sh.tp; ++t)
    for (unsigned o = 0; o < kCop; ++o) out.set((t * kCop + o) * 32, 32, uint32_t(y[t * unsigned(L.rows) + r0 + o]));
  v.expected.push_back(out);
  v.outputs += sh.tp * kCop;
}

// One output tile: `beats` weight beats of Cop rows x Cip inputs.
bool makeTile(Rng& rng, const MmuShape& sh, unsigned nBeats, int xsMax, MmuVectors& v) {
  intops::IntLinear L;
  L.rows = int(kCop);
  L.cols = int(kCip * nBeats);
  L.bits = int(sh.wbits);
  L.group = std::min(128, L.cols);
  L.outShift = (sh.wbits == 4 ? 10 : 14) + (rng.below(2) ? 2 : 0);  // in_proj / out_proj
  L.accBits = int(sh.accBits());
  const int wLim = 1 << (sh.wbits - 1), aLim = 1 << (sh.abits - 1);
  for (int i = 0; i < L.rows * L.cols; ++i) L.w.push_back(int8_t(int(rng.below(2 * wLim)) - wLim));
  for (int i = 0; i < L.rows * L.groupsPerRow(); ++i) {
    L.s1.push_back(uint8_t(rng.below(8)));
    L.s2.push_back(uint8_t(rng.below(8)));
  }
  const int tokens = int(sh.tp);
  std::vector<int8_t> x;
  std::vector<uint8_t> xs;
  for (int i = 0; i < tokens * L.cols; ++i) x.push_back(int8_t(int(rng.below(2 * aLim)) - aLim));
  for (int i = 0; i < tokens * L.cols / 8; ++i) xs.push_back(uint8_t(rng.below(uint64_t(xsMax) + 1)));
  std::vector<int32_t> y(size_t(tokens) * L.rows);
  try {
    intops::linearBatch(L, tokens, x.data(), xs.data(), y.data());
  } catch (const Error&) {
    return false;  // the golden model refuses (accumulator overflow): draw again
  }
  packTile(sh, L, 0, x.data(), xs.data(), y.data(), v);
  return true;
}

MmuVectors makeVectors(Rng& rng, const MmuShape& sh, size_t minBeats) {
  MmuVectors v;
  while (v.beats.size() < minBeats) {
    // Tiles up to one 128-input group, or whole multiples of it.
    const unsigned r = unsigned(rng.below(20));
    const unsigned nBeats = r < 16 ? r + 1 : 16 * (r - 14);
    // Small exponents too, so the bits below the output shift are exercised.
    const int choices[] = {3, 7, 11, 15};
    int xsMax = choices[rng.below(4)];
    while (!makeTile(rng, sh, nBeats, xsMax, v)) xsMax = std::max(0, xsMax - 2);
  }
  return v;
}

template <typename Dut>
StreamRun drive(Dut& dut, Rng& rng, const MmuShape& sh, const MmuVectors& v, double pValid, double pReady) {
  reset(dut);
  auto put = [sh](Dut& d, const Bits& b) {
    unsigned pos = 0;
    b.slice(pos, sh.wW()).store(d.w_i);
    pos += sh.wW();
    b.slice(pos, sh.xW()).store(d.x_i);
    pos += sh.xW();
    b.slice(pos, sh.xsW()).store(d.xs_i);
    pos += sh.xsW();
    b.slice(pos, sh.sW()).store(d.s1_i);
    b.slice(pos + sh.sW(), sh.sW()).store(d.s2_i);
    pos += 2 * sh.sW();
    d.first_i = uint8_t(b.get(pos, 1));
    d.last_i = uint8_t(b.get(pos + 1, 1));
    d.shift_i = uint8_t(b.get(pos + 2, 5));
  };
  auto get = [sh](Dut& d) {
    Bits o(sh.outW());
    o.load(d.data_o);
    return o;
  };
  return runStream(dut, rng, v.beats, v.expected.size(), put, get, pValid, pReady);
}

size_t mismatches(const StreamRun& run, const MmuVectors& v) { return countMismatches(run.outputs, v.expected); }

template <typename Dut>
void checkMmu(const MmuShape& sh, const char* name, uint64_t fallbackSeed) {
  Rng rng(testSeed(name, fallbackSeed));
  const MmuVectors v = makeVectors(rng, sh, 10000);
  INFO(v.beats.size() << " beats, " << v.expected.size() << " tiles, " << v.outputs << " outputs");
  Dut dut;
  const StreamRun run = drive(dut, rng, sh, v, 0.8, 0.5);
  CHECK(run.protocolOk);
  REQUIRE(run.outputs.size() == v.expected.size());
  CHECK(mismatches(run, v) == 0);

  // Cycle figures, no stalls: one 1-beat tile gives the latency, a long
  // stream of beats the II (beats per cycle accepted).
  Dut free;
  const StreamRun fast = drive(free, rng, sh, v, 1.0, 1.0);
  CHECK(mismatches(fast, v) == 0);
  const double ii = double(fast.lastOutCycle - fast.firstInCycle + 1 - 3) / double(v.beats.size());
  MmuVectors one;
  while (!makeTile(rng, sh, 1, 4, one)) {
  }
  Dut lat;
  const StreamRun single = drive(lat, rng, sh, one, 1.0, 1.0);
  REQUIRE(mismatches(single, one) == 0);
  const uint64_t latency = single.firstOutCycle - single.firstInCycle;
  recordCycles(name, latency, ii);
  CHECK(latency == 3);
  CHECK(ii == Approx(1.0).epsilon(0.001));
}

// in_proj (uq -> zxbcdt) and out_proj (out_in -> out) of every exported layer
// at this precision, tokens taken sh.tp at a time (the MMU's weight reuse).
MmuVectors goldenVectors(const GoldenFiles& g, const MmuShape& sh) {
  MmuVectors v;
  for (int l = 0; l < g.layers(); ++l) {
    const Json w = g.weights(l);
    const Json tokens = g.tokens(l);
    REQUIRE(tokens.size() % sh.tp == 0);
    for (const char* proj : {"in_proj", "out_proj"}) {
      const intops::IntLinear L = linearOf(w[proj]);
      REQUIRE(unsigned(L.bits) == sh.wbits);
      REQUIRE(unsigned(L.accBits) == sh.accBits());
      REQUIRE(L.rows % int(kCop) == 0);
      REQUIRE(L.cols % int(kCip) == 0);
      const char* in = proj == std::string("in_proj") ? "uq" : "out_in";
      const char* out = proj == std::string("in_proj") ? "zxbcdt" : "out";
      for (size_t t0 = 0; t0 < tokens.size(); t0 += sh.tp) {
        std::vector<int8_t> x;
        std::vector<uint8_t> xs;
        std::vector<int32_t> y;
        for (size_t t = t0; t < t0 + sh.tp; ++t) {
          const intops::PotVector q = potOf(tokens[t]["trace"][in]);
          const auto yt = vec<int32_t>(tokens[t]["trace"][out]);
          REQUIRE(q.q.size() == size_t(L.cols));
          REQUIRE(yt.size() == size_t(L.rows));
          x.insert(x.end(), q.q.begin(), q.q.end());
          xs.insert(xs.end(), q.s.begin(), q.s.end());
          y.insert(y.end(), yt.begin(), yt.end());
        }
        for (unsigned r0 = 0; r0 < unsigned(L.rows); r0 += kCop) packTile(sh, L, r0, x.data(), xs.data(), y.data(), v);
      }
    }
  }
  return v;
}

template <typename Dut>
void checkReal(const MmuShape& sh, const char* precision, const char* name, uint64_t fallbackSeed) {
  Rng rng(testSeed(name, fallbackSeed));
  size_t outputs = 0;
  forEachGolden(
      [&](const GoldenFiles& g) {
        const MmuVectors v = goldenVectors(g, sh);
        INFO(v.beats.size() << " beats, " << v.expected.size() << " tiles");
        Dut dut;
        const StreamRun run = drive(dut, rng, sh, v, 0.8, 0.5);
        CHECK(run.protocolOk);
        REQUIRE(run.outputs.size() == v.expected.size());
        CHECK(mismatches(run, v) == 0);
        outputs += v.outputs;
      },
      [precision](const GoldenVariant& v) { return v.precision == std::string(precision); });
  std::printf("[%s] %zu real outputs\n", name, outputs);
  CHECK(outputs > 0);
}

}  // namespace

TEST_CASE("sm_mmu W4A4 Tp=2: in_proj and out_proj of the exported layers", "[rtl][mmu][real]") {
  checkReal<Vsm_mmu_w4_tp2>({2, 4, 4}, "w4a4", "sm_mmu W4A4 Tp=2 real", 0x34);
}

TEST_CASE("sm_mmu W8A8: in_proj and out_proj of the exported layers", "[rtl][mmu][real]") {
  checkReal<Vsm_mmu_w8>({1, 8, 8}, "w8a8", "sm_mmu W8A8 real", 0x35);
}

TEST_CASE("sm_mmu W4A4, TP=2 weight reuse, matches intops::linearBatch under back-pressure", "[rtl][mmu]") {
  checkMmu<Vsm_mmu_w4_tp2>({2, 4, 4}, "sm_mmu W4A4 Tp=2 Cop=Cip=8", 0x31);
}

TEST_CASE("sm_mmu W8A8 matches intops::linearBatch under back-pressure", "[rtl][mmu]") {
  checkMmu<Vsm_mmu_w8>({1, 8, 8}, "sm_mmu W8A8 Tp=1 Cop=Cip=8", 0x32);
}

TEST_CASE("sm_mmu regression catches a round-to-nearest output shift", "[rtl][mmu]") {
  const MmuShape sh{1, 4, 4};
  Rng rng(testSeed("sm_mmu bug", 0x33));
  const MmuVectors v = makeVectors(rng, sh, 10000);
  Vsm_mmu_w4_bug dut;
  const StreamRun run = drive(dut, rng, sh, v, 0.8, 0.5);
  REQUIRE(run.outputs.size() == v.expected.size());
  CHECK(mismatches(run, v) > 0);
}
