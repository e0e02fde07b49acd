// sm_ssmu: the whole SSM step (dt·A → exp → dA, dB, dBx, dAh, h, both
// re-quantizations, htC, xD, y) with its on-chip state buffer, token after
// token, against Mamba2Int::ssmHeads on the SSM inputs of the quantized
// tiny-64 model's layers and intops::ssmStep on random inputs; random
// back-pressure on the input and y streams; the state buffer is compared
// with the golden state after every token; plus a broken variant.
#include <catch2/catch.hpp>

#include "Vsm_ssmu.h"
#include "Vsm_ssmu_bug.h"
#include "Vsm_ssmu_h16.h"
#include "models/common/Error.h"
#include "models/config/ModelConfig.h"
#include "models/int/IntOps.h"
#include "models/int/Mamba2Int.h"
#include "models/int/OfflineQuantizer.h"
#include "models/weights/SyntheticWeights.h"
#include "tests/rtl/RtlTestSupport.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

constexpr unsigned kBeatW = 8 * 8 + 4;  // 8 int8 lanes + exponent

struct Shape {
  int heads, headdim, dState;
  int dInner() const { return heads * headdim; }
  int entries() const { return dState * dInner() / 8; }  // state buffer depth
};

// One token: the SSM inputs and what the golden model returns for them.
struct SsmToken {
  Mamba2Int::SsmInputs in;
  std::vector<int32_t> y;
  intops::SsmState after;
};

// Tokens in sequence with one set of per-head parameters, from one state.
struct SsmSegment {
  std::string name;
  std::vector<int16_t> aQ;
  std::vector<uint8_t> aS;
  std::vector<int8_t> dQ;
  std::vector<uint8_t> dS;
  intops::SsmState start;
  std::vector<SsmToken> tokens;
};

intops::PotVector randomPot(Rng& rng, int n, int sMax) {
  intops::PotVector v(n);
  for (auto& q : v.q) q = int8_t(spreadSigned(rng, 8));
  for (auto& s : v.s) s = uint8_t(rng.below(uint64_t(sMax) + 1));
  return v;
}

// The SSM inputs of every layer of the W4A4 tiny-64 model over `tokens`
// tokens, with the golden y and state from Mamba2Int::ssmHeads.
std::vector<SsmSegment> realSegments(const Mamba2Int& m, int tokens) {
  const ModelConfig& c = m.config();
  std::vector<SsmSegment> segs(size_t(c.nLayer));
  for (int l = 0; l < c.nLayer; ++l) {
    const auto& L = m.weights().layers[size_t(l)];
    segs[size_t(l)] = {"tiny-64 layer " + std::to_string(l), L.aQ, L.aS, L.dQ, L.dS,
                       intops::zeroSsmState(c.nHeads, c.headdim, c.dState), {}};
  }
  IntState st = m.initialState();
  std::vector<int32_t> residual(size_t(c.dModel)), zx(size_t(c.inProjOut())), y(size_t(c.dInner));
  for (int t = 0; t < tokens; ++t) {
    m.embed((t * 37 + 5) % c.vocabSize, residual.data());
    for (int l = 0; l < c.nLayer; ++l) {
      IntLayerState& ls = st.layers[size_t(l)];
      m.project(l, 1, residual.data(), zx.data());
      const intops::PotVector convIn = m.convInput(zx.data());
      SsmToken tok{m.prepare(l, ls.conv, convIn, zx.data()), {}, {}};
      m.pushConvInput(ls.conv, convIn);
      m.ssmHeads(l, 0, c.nHeads, tok.in, ls.ssm, y.data());
      tok.y = y;
      tok.after = ls.ssm;
      segs[size_t(l)].tokens.push_back(tok);
      m.finish(l, 1, zx.data(), y.data(), residual.data());
    }
  }
  return segs;
}

// Random per-head parameters, a random start state and random inputs
// (exponents lowered until the golden model accepts the token).
SsmSegment randomSegment(Rng& rng, const Shape& sh, const intops::Lut& expL, int tokens) {
  SsmSegment s;
  s.name = "random";
  const int H = sh.heads;
  s.aQ.resize(size_t(H));
  s.dQ.resize(size_t(H));
  s.aS.resize(size_t(H / 8));
  s.dS.resize(size_t(H / 8));
  for (auto& a : s.aQ) a = int16_t(-1 - int(rng.below(2000)));
  for (auto& d : s.dQ) d = int8_t(spreadSigned(rng, 8));
  for (auto& e : s.aS) e = uint8_t(rng.below(4));
  for (auto& e : s.dS) e = uint8_t(rng.below(4));
  s.start = intops::zeroSsmState(H, sh.headdim, sh.dState);
  for (auto& q : s.start.h) q = int8_t(spreadSigned(rng, 8));
  for (auto& e : s.start.s) e = uint8_t(rng.below(7));
  intops::SsmParams p;
  p.nHeads = H;
  p.headdim = sh.headdim;
  p.dState = sh.dState;
  p.aQ = s.aQ.data();
  p.aS = s.aS.data();
  p.dQ = s.dQ.data();
  p.dS = s.dS.data();
  p.exp = &expL;
  intops::SsmState st = s.start;
  for (int t = 0; t < tokens; ++t) {
    SsmToken tok;
    tok.y.resize(size_t(sh.dInner()));
    for (int sMax = 15;; sMax = std::max(0, sMax - 2)) {
      tok.in = {randomPot(rng, sh.dInner(), sMax), randomPot(rng, sh.dState, sMax),
                randomPot(rng, sh.dState, sMax), randomPot(rng, H, sMax)};
      intops::SsmState tryState = st;
      try {
        intops::ssmStep(p, tok.in.x, tok.in.B, tok.in.C, tok.in.dt, tryState, tok.y.data());
        st = tryState;
        break;
      } catch (const Error&) {
        if (sMax == 0) throw;
      }
    }
    tok.after = st;
    s.tokens.push_back(tok);
  }
  return s;
}

Bits potBeat(const intops::PotVector& v, int group) {
  Bits b(kBeatW);
  for (int l = 0; l < 8; ++l) b.set(unsigned(l) * 8, 8, uint64_t(uint8_t(v.q[size_t(group * 8 + l)])));
  b.set(64, 4, v.s[size_t(group)]);
  return b;
}

// The input stream of one token: dt | B | C | x, 8 values per beat.
std::vector<Bits> tokenBeats(const Mamba2Int::SsmInputs& in) {
  std::vector<Bits> beats;
  for (const intops::PotVector* v : {&in.dt, &in.B, &in.C, &in.x}) {
    for (int g = 0; g < int(v->s.size()); ++g) beats.push_back(potBeat(*v, g));
  }
  return beats;
}

std::vector<Bits> yBeats(const std::vector<int32_t>& y) {
  std::vector<Bits> beats;
  for (size_t g = 0; g < y.size() / 8; ++g) {
    Bits b(256);
    for (unsigned l = 0; l < 8; ++l) b.set(l * 32, 32, uint32_t(y[g * 8 + l]));
    beats.push_back(b);
  }
  return beats;
}

template <typename Dut>
void loadLut(Dut& dut, const intops::Lut& L) {
  dut.exp_alpha_i = uint32_t(L.alpha);
  dut.exp_k_i = uint8_t(L.k);
  dut.exp_ks_i = uint8_t(L.ks);
  dut.tab_we_i = 1;
  for (int i = 0; i < intops::kLutEntries + intops::kLutShiftEntries; ++i) {
    const bool shiftTable = i >= intops::kLutEntries;
    dut.tab_sel_i = shiftTable;
    dut.tab_addr_i = uint16_t(shiftTable ? i - intops::kLutEntries : i);
    dut.tab_data_i = shiftTable ? L.ts[size_t(i - intops::kLutEntries)] : uint16_t(L.t[size_t(i)]);
    tick(dut);
  }
  dut.tab_we_i = 0;
}

template <typename Dut>
void loadSegment(Dut& dut, const SsmSegment& s) {
  dut.par_we_i = 1;
  for (size_t h = 0; h < s.aQ.size(); ++h) {
    dut.par_head_i = uint8_t(h);
    dut.par_a_i = uint16_t(s.aQ[h]);
    dut.par_as_i = s.aS[h / 8];
    dut.par_d_i = uint8_t(s.dQ[h]);
    dut.par_ds_i = s.dS[h / 8];
    tick(dut);
  }
  dut.par_we_i = 0;
  dut.st_we_i = 1;
  for (size_t a = 0; a < s.start.s.size(); ++a) {
    Bits b(kBeatW);
    for (unsigned l = 0; l < 8; ++l) b.set(l * 8, 8, uint64_t(uint8_t(s.start.h[a * 8 + l])));
    b.set(64, 4, s.start.s[a]);
    dut.st_addr_i = uint32_t(a);
    b.store(dut.st_wdata_i);
    tick(dut);
  }
  dut.st_we_i = 0;
}

// Entries of the state buffer that differ from `want`.
template <typename Dut>
size_t stateMismatches(Dut& dut, const intops::SsmState& want) {
  size_t bad = 0;
  dut.st_re_i = 1;
  for (size_t a = 0; a < want.s.size(); ++a) {
    dut.st_addr_i = uint32_t(a);
    tick(dut);
    Bits got(kBeatW);
    got.load(dut.st_rdata_o);
    bool ok = got.get(64, 4) == want.s[a];
    for (unsigned l = 0; l < 8; ++l) ok = ok && int8_t(got.get(l * 8, 8)) == want.h[a * 8 + l];
    bad += ok ? 0 : 1;
  }
  dut.st_re_i = 0;
  return bad;
}

struct SsmRun {
  size_t yBad = 0, stateBad = 0, beats = 0;
  bool protocolOk = true;
  uint64_t tokenCycles = 0, firstY = 0;  // of the last token
};

// Every segment in sequence through one unit: load its parameters and start
// state, then each token's stream; the state buffer is read back and checked
// after every token.
template <typename Dut>
SsmRun runSegments(Dut& dut, Rng& rng, const Shape& sh, const intops::Lut& expL,
                   const std::vector<SsmSegment>& segs, double pv, double pr) {
  SsmRun r;
  reset(dut);
  loadLut(dut, expL);
  auto put = [](Dut& d, const Bits& b) { b.store(d.data_i); };
  auto get = [](Dut& d) {
    Bits o(256);
    o.load(d.data_o);
    return o;
  };
  for (const SsmSegment& s : segs) {
    loadSegment(dut, s);
    for (const SsmToken& t : s.tokens) {
      const std::vector<Bits> want = yBeats(t.y);
      const StreamRun run = runStream(dut, rng, tokenBeats(t.in), want.size(), put, get, pv, pr);
      dut.valid_i = 0;
      dut.ready_i = 0;
      r.protocolOk = r.protocolOk && run.protocolOk && dut.idle_o;
      r.yBad += countMismatches(run.outputs, want);
      r.stateBad += stateMismatches(dut, t.after);
      r.beats += size_t(sh.entries());
      r.tokenCycles = run.lastOutCycle - run.firstInCycle + 1;
      r.firstY = run.firstOutCycle - run.firstInCycle;
    }
  }
  return r;
}

template <typename Dut>
void checkSsmu(const char* name, Rng& rng, const Shape& sh, const intops::Lut& expL,
               const std::vector<SsmSegment>& segs) {
  {
    Dut dut;
    const SsmRun stalled = runSegments(dut, rng, sh, expL, segs, 0.7, 0.6);
    CHECK(stalled.protocolOk);
    CHECK(stalled.yBad == 0);
    CHECK(stalled.stateBad == 0);
    CHECK(stalled.beats >= 10000);
  }
  Dut dut;
  const SsmRun fast = runSegments(dut, rng, sh, expL, segs, 1.0, 1.0);
  CHECK(fast.yBad == 0);
  CHECK(fast.stateBad == 0);
  std::printf("[cycles] %s: %llu cycles per token (%d inner-loop beats, %d head group(s): %.1f per head group), "
              "first input -> first y %llu\n",
              name, static_cast<unsigned long long>(fast.tokenCycles), sh.entries(), sh.heads / 8,
              double(fast.tokenCycles) / (sh.heads / 8), static_cast<unsigned long long>(fast.firstY));
}

const IntModelWeights& tiny64() {
  static const IntModelWeights q = [] {
    SyntheticOptions so;
    so.seed = 3;
    return quantizeModel(makeSyntheticWeights(loadModelConfig("tiny-64"), so),
                         {Precision::W4A4, RotationMode::Online});
  }();
  return q;
}

}  // namespace

TEST_CASE("sm_ssmu matches Mamba2Int::ssmHeads on tiny-64 and intops::ssmStep on random tokens",
          "[rtl][ssmu]") {
  Rng rng(testSeed("sm_ssmu", 0xE1));
  const Mamba2Int m(tiny64());
  const Shape sh{8, 16, 16};
  REQUIRE(m.config().nHeads == sh.heads);
  REQUIRE(m.config().headdim == sh.headdim);
  REQUIRE(m.config().dState == sh.dState);
  std::vector<SsmSegment> segs = realSegments(m, 10);  // 2 layers x 10 tokens
  segs.push_back(randomSegment(rng, sh, m.weights().exp, 24));
  checkSsmu<Vsm_ssmu>("sm_ssmu (8 heads, P=16, N=16, PP=8)", rng, sh, m.weights().exp, segs);
}

TEST_CASE("sm_ssmu with several head groups and one n-tile matches intops::ssmStep", "[rtl][ssmu]") {
  Rng rng(testSeed("sm_ssmu h16", 0xE2));
  const Shape sh{16, 8, 8};
  const intops::Lut& expL = tiny64().exp;
  checkSsmu<Vsm_ssmu_h16>("sm_ssmu (16 heads, P=8, N=8, PP=8)", rng, sh, expL,
                          {randomSegment(rng, sh, expL, 80)});
}

TEST_CASE("sm_ssmu regression catches a rounded htC", "[rtl][ssmu]") {
  Rng rng(testSeed("sm_ssmu bug", 0xE3));
  const Mamba2Int m(tiny64());
  const std::vector<SsmSegment> segs = realSegments(m, 3);
  Vsm_ssmu_bug dut;
  const SsmRun r = runSegments(dut, rng, {8, 16, 16}, m.weights().exp, segs, 0.7, 0.6);
  CHECK(r.yBad > 0);
}
