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
#include "tests/rtl/MixerPorts.h"
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
