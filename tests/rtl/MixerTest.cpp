// sm_mixer (conv input quantizer, conv1d with its state, SiLU, dt bias and
// softplus, the SSMU with its state, the gate): every layer of the quantized
// tiny-64 model over a token sequence against Mamba2Int::layerDecode's trace
// (in_proj output in, yz out) and the conv and SSM states it leaves (W4A4,
// and the W8A8 model's weights too), with
// random back-pressure on both streams; a broken variant.
#include <catch2/catch.hpp>

#include "Vsm_mixer.h"
#include "Vsm_mixer_bug.h"
#include "models/int/Mamba2Int.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/StatePorts.h"
#include "tests/rtl/TinyModel.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

struct MixerToken {
  std::vector<Bits> in, yz;  // in_proj output beats, yz beats
  IntLayerState after;
};

std::vector<Bits> int32Beats(const int32_t* v, size_t n) {
  std::vector<Bits> beats;
  for (size_t g = 0; g < n / 8; ++g) {
    Bits b(256);
    for (unsigned l = 0; l < 8; ++l) b.set(l * 32, 32, uint32_t(v[g * 8 + l]));
    beats.push_back(b);
  }
  return beats;
}

// [layer][token] from layerDecode's trace over `tokens` tokens.
std::vector<std::vector<MixerToken>> mixerTokens(const Mamba2Int& m, int tokens) {
  const ModelConfig& c = m.config();
  std::vector<std::vector<MixerToken>> out(size_t(c.nLayer));
  IntState st = m.initialState();
  std::vector<int32_t> residual(size_t(c.dModel));
  for (int t = 0; t < tokens; ++t) {
    m.embed((t * 71 + 3) % c.vocabSize, residual.data());
    for (int l = 0; l < c.nLayer; ++l) {
      IntLayerTrace tr;
      m.layerDecode(l, residual.data(), st.layers[size_t(l)], &tr);
      out[size_t(l)].push_back({int32Beats(tr.zxbcdt.data(), tr.zxbcdt.size()),
                                int32Beats(tr.yz.data(), tr.yz.size()), st.layers[size_t(l)]});
    }
  }
  return out;
}

template <typename Dut>
void loadTables(Dut& dut, const IntModelWeights& q) {
  const intops::Lut* luts[3] = {&q.silu, &q.softplus, &q.exp};
  Bits alpha(96);
  for (unsigned f = 0; f < 3; ++f) alpha.set(f * 32, 32, uint32_t(luts[f]->alpha));
  alpha.store(dut.lut_alpha_i);
  dut.lut_k_i = uint16_t(luts[0]->k | luts[1]->k << 5 | luts[2]->k << 10);
  dut.lut_ks_i = uint16_t(luts[0]->ks | luts[1]->ks << 5 | luts[2]->ks << 10);
  dut.tab_we_i = 1;
  for (unsigned f = 0; f < 3; ++f) {
    dut.tab_fn_i = uint8_t(f);
    for (int i = 0; i < intops::kLutEntries + intops::kLutShiftEntries; ++i) {
      const bool shiftTable = i >= intops::kLutEntries;
      dut.tab_sel_i = shiftTable;
      dut.tab_addr_i = uint16_t(shiftTable ? i - intops::kLutEntries : i);
      dut.tab_data_i = shiftTable ? luts[f]->ts[size_t(i - intops::kLutEntries)] : uint16_t(luts[f]->t[size_t(i)]);
      tick(dut);
    }
  }
  dut.tab_we_i = 0;
}

// Layer l's parameters, conv weights, and the zero states.
template <typename Dut>
void loadLayer(Dut& dut, const Mamba2Int& m, int l) {
  const ModelConfig& c = m.config();
  const IntLayerWeights& L = m.weights().layers[size_t(l)];
  dut.par_we_i = 1;
  for (int h = 0; h < c.nHeads; ++h) {
    dut.par_head_i = uint8_t(h);
    dut.par_a_i = uint16_t(L.aQ[size_t(h)]);
    dut.par_as_i = L.aS[size_t(h / 8)];
    dut.par_d_i = uint8_t(L.dQ[size_t(h)]);
    dut.par_ds_i = L.dS[size_t(h / 8)];
    dut.par_dtb_i = uint32_t(L.dtBias[size_t(h)]);
    tick(dut);
  }
  dut.par_we_i = 0;
  const intops::IntConv& cv = L.conv;
  const unsigned groups = unsigned(cv.channels / 8), K = unsigned(cv.kernel);
  dut.cw_we_i = 1;
  for (unsigned g = 0; g < groups; ++g) {
    Bits w(K * 64);
    uint32_t ws = 0;
    for (unsigned k = 0; k < K; ++k) {
      for (unsigned j = 0; j < 8; ++j) w.set(k * 64 + j * 8, 8, uint64_t(uint8_t(cv.w[k * unsigned(cv.channels) + g * 8 + j])));
      ws |= uint32_t(cv.ws[k * groups + g]) << (4 * k);
    }
    uint64_t b = 0;
    for (unsigned j = 0; j < 8; ++j) b |= uint64_t(uint8_t(cv.b[g * 8 + j])) << (8 * j);
    dut.cw_addr_i = uint8_t(g);
    w.store(dut.cw_w_i);
    dut.cw_ws_i = uint16_t(ws);
    dut.cw_b_i = b;
    dut.cw_bs_i = cv.bs[g];
    tick(dut);
  }
  dut.cw_we_i = 0;
  const IntLayerState zero = m.initialState().layers[size_t(l)];
  dut.win_we_i = 1;
  for (unsigned g = 0; g < groups; ++g) {
    dut.win_addr_i = uint8_t(g);
    convWindowBits(zero.conv, g, groups, K).store(dut.win_wdata_i);
    tick(dut);
  }
  dut.win_we_i = 0;
  loadSsmState(dut, zero.ssm);
}

template <typename Dut>
size_t convMismatches(Dut& dut, const intops::ConvWindow& want, unsigned groups, unsigned kernel) {
  size_t bad = 0;
  dut.win_re_i = 1;
  for (unsigned g = 0; g < groups; ++g) {
    dut.win_addr_i = uint8_t(g);
    tick(dut);
    Bits got((kernel - 1) * kPotEntryW);
    got.load(dut.win_rdata_o);
    bad += sameBits(got, convWindowBits(want, g, groups, kernel)) ? 0 : 1;
  }
  dut.win_re_i = 0;
  return bad;
}

struct MixerRun {
  size_t yzBad = 0, convBad = 0, ssmBad = 0, tokens = 0;
  bool ok = true;
  uint64_t tokenCycles = 0;
};

template <typename Dut>
MixerRun runMixer(Dut& dut, Rng& rng, const Mamba2Int& m, const std::vector<std::vector<MixerToken>>& toks,
                  double pv, double pr) {
  const ModelConfig& c = m.config();
  MixerRun r;
  reset(dut);
  loadTables(dut, m.weights());
  auto put = [](Dut& d, const Bits& b) { b.store(d.data_i); };
  auto get = [](Dut& d) {
    Bits o(256);
    o.load(d.data_o);
    return o;
  };
  for (int l = 0; l < c.nLayer; ++l) {
    loadLayer(dut, m, l);
    for (const MixerToken& t : toks[size_t(l)]) {
      const StreamRun run = runStream(dut, rng, t.in, t.yz.size(), put, get, pv, pr);
      dut.valid_i = 0;
      dut.ready_i = 0;
      tick(dut);
      r.ok = r.ok && run.protocolOk && dut.idle_o;
      r.yzBad += countMismatches(run.outputs, t.yz);
      r.convBad += convMismatches(dut, t.after.conv, unsigned(c.convDim() / 8), unsigned(c.dConv));
      r.ssmBad += ssmStateMismatches(dut, t.after.ssm);
      r.tokenCycles = run.lastOutCycle - run.firstInCycle + 1;
      ++r.tokens;
    }
  }
  return r;
}

}  // namespace

TEST_CASE("sm_mixer matches Mamba2Int::layerDecode (in_proj output -> yz, conv and SSM states) on tiny-64",
          "[rtl][mixer]") {
  Rng rng(testSeed("sm_mixer", 0xA7));
  {  // the W8A8 model: other weights, the same integer mixer
    const Mamba2Int m8(tiny64W8A8());
    Vsm_mixer dut;
    const MixerRun r = runMixer(dut, rng, m8, mixerTokens(m8, 8), 0.7, 0.6);
    CHECK(r.ok);
    CHECK(r.yzBad + r.convBad + r.ssmBad == 0);
    CHECK(r.tokens == 16);
  }
  const Mamba2Int m(tiny64W4A4());
  const auto toks = mixerTokens(m, 16);
  {
    Vsm_mixer dut;
    const MixerRun r = runMixer(dut, rng, m, toks, 0.7, 0.6);
    CHECK(r.ok);
    CHECK(r.yzBad == 0);
    CHECK(r.convBad == 0);
    CHECK(r.ssmBad == 0);
    CHECK(r.tokens == 32);
  }
  Vsm_mixer dut;
  const MixerRun r = runMixer(dut, rng, m, toks, 1.0, 1.0);
  CHECK(r.yzBad + r.convBad + r.ssmBad == 0);
  std::printf("[cycles] sm_mixer (tiny-64: 37 in_proj beats in, 16 yz beats out): %llu cycles per token and layer\n",
              static_cast<unsigned long long>(r.tokenCycles));
}

TEST_CASE("sm_mixer regression catches a rounded htC", "[rtl][mixer]") {
  Rng rng(testSeed("sm_mixer bug", 0xA8));
  const Mamba2Int m(tiny64W4A4());
  Vsm_mixer_bug dut;
  const MixerRun r = runMixer(dut, rng, m, mixerTokens(m, 3), 0.7, 0.6);
  CHECK(r.yzBad > 0);
}
