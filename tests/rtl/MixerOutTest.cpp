// sm_mixer_out (gated RMSNorm, online Hadamard rotation, out_proj input
// quantizer): every layer of the quantized tiny-64 model over a token
// sequence against Mamba2Int::layerDecode's trace (yz in, the 4-bit out_proj
// input out), random back-pressure, a broken variant.
#include <catch2/catch.hpp>

#include "Vsm_mixer_out.h"
#include "Vsm_mixer_out_bug.h"
#include "models/int/Mamba2Int.h"
#include "tests/rtl/RmsLutPort.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/TinyModel.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

constexpr unsigned kOutBits = 4, kOutW = 8 * kOutBits + 4;

struct OutVectors {
  std::vector<std::vector<Bits>> in, out;  // [layer] beats of all tokens
};

OutVectors outVectors(const Mamba2Int& m, int tokens) {
  const ModelConfig& c = m.config();
  OutVectors v;
  v.in.resize(size_t(c.nLayer));
  v.out.resize(size_t(c.nLayer));
  IntState st = m.initialState();
  std::vector<int32_t> residual(size_t(c.dModel));
  for (int t = 0; t < tokens; ++t) {
    m.embed((t * 29 + 7) % c.vocabSize, residual.data());
    for (int l = 0; l < c.nLayer; ++l) {
      IntLayerTrace tr;
      m.layerDecode(l, residual.data(), st.layers[size_t(l)], &tr);
      for (int g = 0; g < c.dInner / 8; ++g) {
        Bits b(256), o(kOutW);
        for (unsigned j = 0; j < 8; ++j) {
          b.set(j * 32, 32, uint32_t(tr.yz[size_t(g * 8) + j]));
          o.set(j * kOutBits, kOutBits, uint64_t(uint8_t(tr.outIn.q[size_t(g * 8) + j])));
        }
        o.set(8 * kOutBits, 4, tr.outIn.s[size_t(g)]);
        v.in[size_t(l)].push_back(b);
        v.out[size_t(l)].push_back(o);
      }
    }
  }
  return v;
}

template <typename Dut>
void configure(Dut& dut, const IntLayerWeights& L, int shift) {
  loadRmsLut(dut, L.gatedNorm);
  dut.shift_i = uint8_t(shift);
  dut.nw_we_i = 1;
  for (size_t b = 0; b < L.gatedNormW.size() / 8; ++b) {
    Bits w(8 * 13);
    for (unsigned j = 0; j < 8; ++j) w.set(j * 13, 13, uint64_t(uint16_t(L.gatedNormW[b * 8 + j])));
    dut.nw_addr_i = uint8_t(b);
    w.store(dut.nw_data_i);
    tick(dut);
  }
  dut.nw_we_i = 0;
}

struct OutRun {
  size_t bad = 0, beats = 0;
  bool ok = true;
  uint64_t cycles = 0;
};

template <typename Dut>
OutRun runOut(Dut& dut, Rng& rng, const Mamba2Int& m, const OutVectors& v, double pv, double pr) {
  OutRun r;
  reset(dut);
  const int shift = intops::hadamardShift(m.config().dInner);
  for (size_t l = 0; l < v.in.size(); ++l) {
    configure(dut, m.weights().layers[l], shift);
    const StreamRun run = runStream(
        dut, rng, v.in[l], v.out[l].size(), [](Dut& d, const Bits& b) { b.store(d.data_i); },
        [](Dut& d) {
          Bits o(kOutW);
          o.set(0, 8 * kOutBits, d.data_o);
          o.set(8 * kOutBits, 4, d.exp_o);
          return o;
        },
        pv, pr);
    dut.valid_i = 0;
    r.ok = r.ok && run.protocolOk;
    r.bad += countMismatches(run.outputs, v.out[l]);
    r.beats += v.out[l].size();
    r.cycles = run.lastOutCycle - run.firstInCycle + 1;
  }
  return r;
}

}  // namespace

TEST_CASE("sm_mixer_out matches Mamba2Int's gated norm, rotation and out_proj quantizer on tiny-64",
          "[rtl][mixer]") {
  Rng rng(testSeed("sm_mixer_out", 0xA9));
  const Mamba2Int m(tiny64W4A4());
  REQUIRE(m.weights().rotation == RotationMode::Online);
  const int tokens = 40;
  const OutVectors v = outVectors(m, tokens);
  {
    Vsm_mixer_out dut;
    const OutRun r = runOut(dut, rng, m, v, 0.7, 0.6);
    CHECK(r.ok);
    CHECK(r.bad == 0);
    CHECK(r.beats == 2u * 40u * 16u);
  }
  Vsm_mixer_out dut;
  const OutRun r = runOut(dut, rng, m, v, 1.0, 1.0);
  CHECK(r.bad == 0);
  std::printf("[cycles] sm_mixer_out (d_inner 128, rotation on): %llu cycles for %d tokens (%.1f per token)\n",
              static_cast<unsigned long long>(r.cycles), tokens, double(r.cycles) / tokens);
}

TEST_CASE("sm_mixer_out regression catches a wrong rotation shift", "[rtl][mixer]") {
  Rng rng(testSeed("sm_mixer_out bug", 0xAA));
  const Mamba2Int m(tiny64W4A4());
  Vsm_mixer_out_bug dut;
  CHECK(runOut(dut, rng, m, outVectors(m, 4), 0.7, 0.6).bad > 0);
}
