// sm_norm_quant in both of its places, on every layer of the quantized
// tiny-64 model over a token sequence against Mamba2Int::layerDecode's trace:
// the mixer's back end (yz → gated RMSNorm → online rotation → 4-bit
// out_proj input) and the layer's front (residual → pre-RMSNorm → 4-bit
// in_proj input), W4A4 (4-bit) and W8A8 (8-bit); random back-pressure; a
// broken variant.
#include <catch2/catch.hpp>

#include "Vsm_norm_quant.h"
#include "Vsm_norm_quant_bug.h"
#include "Vsm_norm_quant_k12.h"
#include "Vsm_norm_quant_k12_bug.h"
#include "Vsm_norm_quant_w8.h"
#include "Vsm_prenorm.h"
#include "Vsm_prenorm_w8.h"
#include "models/int/IntTables.h"
#include "models/int/Mamba2Int.h"
#include "models/rotation/Hadamard.h"
#include "sim/platform/rtl/HtuSigns.h"
#include "tests/rtl/RmsLutPort.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/TinyModel.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

enum class Place { GatedOut, PreNorm };

struct NqVectors {
  std::vector<std::vector<Bits>> in, out;  // [layer] beats of all tokens
};

// Output beat: 8 codes of `bits` bits, then the exponent.
void addBeats(NqVectors& v, size_t l, const std::vector<int32_t>& x, const intops::PotVector& q, unsigned bits) {
  for (size_t g = 0; g < x.size() / 8; ++g) {
    Bits b(256), o(8 * bits + 4);
    for (unsigned j = 0; j < 8; ++j) {
      b.set(j * 32, 32, uint32_t(x[g * 8 + j]));
      o.set(j * bits, bits, uint64_t(uint8_t(q.q[g * 8 + j])));
    }
    o.set(8 * bits, 4, q.s[g]);
    v.in[l].push_back(b);
    v.out[l].push_back(o);
  }
}

NqVectors nqVectors(const Mamba2Int& m, int tokens, Place place) {
  const ModelConfig& c = m.config();
  const unsigned bits = unsigned(precisionBits(m.weights().precision));
  NqVectors v;
  v.in.resize(size_t(c.nLayer));
  v.out.resize(size_t(c.nLayer));
  IntState st = m.initialState();
  std::vector<int32_t> residual(size_t(c.dModel));
  for (int t = 0; t < tokens; ++t) {
    m.embed((t * 29 + 7) % c.vocabSize, residual.data());
    for (int l = 0; l < c.nLayer; ++l) {
      IntLayerTrace tr;
      m.layerDecode(l, residual.data(), st.layers[size_t(l)], &tr);
      if (place == Place::GatedOut) addBeats(v, size_t(l), tr.yz, tr.outIn, bits);
      else addBeats(v, size_t(l), tr.residualIn, tr.uq, bits);
    }
  }
  return v;
}

template <typename Dut>
void configure(Dut& dut, const intops::RmsLut& lut, const std::vector<int16_t>& w, unsigned wBits, int shift) {
  loadRmsLut(dut, lut);
  dut.shift_i = uint8_t(shift);
  dut.nw_we_i = 1;
  for (size_t b = 0; b < w.size() / 8; ++b) {
    Bits wb(8 * wBits);
    for (unsigned j = 0; j < 8; ++j) wb.set(j * wBits, wBits, uint64_t(uint16_t(w[b * 8 + j])));
    dut.nw_addr_i = uint8_t(b);
    wb.store(dut.nw_data_i);
    tick(dut);
  }
  dut.nw_we_i = 0;
}

struct NqRun {
  size_t bad = 0, beats = 0;
  bool ok = true;
  uint64_t cycles = 0;  // of the last layer's run
};

template <typename Dut>
NqRun runNq(Dut& dut, Rng& rng, const Mamba2Int& m, const NqVectors& v, Place place, double pv, double pr) {
  NqRun r;
  const unsigned bits = unsigned(precisionBits(m.weights().precision));
  reset(dut);
  for (size_t l = 0; l < v.in.size(); ++l) {
    const IntLayerWeights& L = m.weights().layers[l];
    if (place == Place::GatedOut) configure(dut, L.gatedNorm, L.gatedNormW, 13, intops::hadamardShift(m.config().dInner));
    else configure(dut, L.norm, L.normW, 11, 0);
    const StreamRun run = runStream(
        dut, rng, v.in[l], v.out[l].size(), [](Dut& d, const Bits& b) { b.store(d.data_i); },
        [bits](Dut& d) {
          Bits o(8 * bits + 4);
          o.set(0, 8 * bits, d.data_o);
          o.set(8 * bits, 4, d.exp_o);
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

template <typename Dut>
void checkNq(const char* name, Rng& rng, const IntModelWeights& q, Place place, int tokens) {
  const Mamba2Int m(q);
  REQUIRE(m.weights().rotation == RotationMode::Online);
  const NqVectors v = nqVectors(m, tokens, place);
  {
    Dut dut;
    const NqRun r = runNq(dut, rng, m, v, place, 0.7, 0.6);
    CHECK(r.ok);
    CHECK(r.bad == 0);
    CHECK(r.beats == v.out[0].size() * v.out.size());
  }
  Dut dut;
  const NqRun r = runNq(dut, rng, m, v, place, 1.0, 1.0);
  CHECK(r.bad == 0);
  std::printf("[cycles] %s: %llu cycles for %d vectors stall-free (%.1f per vector)\n", name,
              static_cast<unsigned long long>(r.cycles), tokens, double(r.cycles) / tokens);
}

}  // namespace

TEST_CASE("sm_norm_quant matches Mamba2Int's gated norm, rotation and out_proj quantizer on tiny-64",
          "[rtl][mixer]") {
  Rng rng(testSeed("sm_norm_quant", 0xA9));
  checkNq<Vsm_norm_quant>("sm_norm_quant (gated norm, d_inner 128, rotation on, 4-bit)", rng, tiny64W4A4(),
                          Place::GatedOut, 40);
}

TEST_CASE("sm_norm_quant matches Mamba2Int's pre-norm and in_proj quantizer on tiny-64", "[rtl][mixer]") {
  Rng rng(testSeed("sm_norm_quant prenorm", 0xAB));
  checkNq<Vsm_prenorm>("sm_norm_quant (pre-norm, d_model 64, no rotation, 4-bit)", rng, tiny64W4A4(), Place::PreNorm,
                       40);
}

TEST_CASE("sm_norm_quant (8-bit) matches Mamba2Int W8A8's gated norm + out_proj and pre-norm + in_proj quantizers",
          "[rtl][mixer]") {
  Rng rng(testSeed("sm_norm_quant w8a8", 0xAC));
  REQUIRE(tiny64W8A8().precision == Precision::W8A8);
  checkNq<Vsm_norm_quant_w8>("sm_norm_quant (gated norm, d_inner 128, rotation on, 8-bit)", rng, tiny64W8A8(),
                             Place::GatedOut, 40);
  checkNq<Vsm_prenorm_w8>("sm_norm_quant (pre-norm, d_model 64, no rotation, 8-bit)", rng, tiny64W8A8(),
                          Place::PreNorm, 40);
}

TEST_CASE("sm_norm_quant regression catches a wrong rotation shift", "[rtl][mixer]") {
  Rng rng(testSeed("sm_norm_quant bug", 0xAA));
  const Mamba2Int m(tiny64W4A4());
  Vsm_norm_quant_bug dut;
  CHECK(runNq(dut, rng, m, nqVectors(m, 4, Place::GatedOut), Place::GatedOut, 0.7, 0.6).bad > 0);
}

namespace {

// Random gated-norm vectors of Len values against intops::rmsnorm →
// hadamardInt (split K x Points) → quantizePot: the K-point path.
template <typename Dut>
NqRun runRandomNq(Dut& dut, Rng& rng, int len, int vectors, double pv, double pr) {
  const intops::RmsLut lut = intops::makeRmsLut(len, 1e-5, intops::kYFrac, 10);
  const HadamardSplit split = hadamardSplit(len);
  const std::vector<int8_t> hk = hadamardMatrix(split.k);
  const int shift = intops::hadamardShift(len);
  std::vector<int16_t> w(static_cast<size_t>(len));
  for (int16_t& x : w) x = int16_t(spreadSigned(rng, 13));
  NqVectors v;
  v.in.resize(1);
  v.out.resize(1);
  for (int t = 0; t < vectors; ++t) {
    std::vector<int32_t> x(static_cast<size_t>(len)), g(static_cast<size_t>(len));
    const unsigned mag = 4 + unsigned(rng.below(14));  // vectors from tiny to large RMS
    for (int32_t& e : x) e = int32_t(spreadSigned(rng, mag));
    intops::rmsnorm(lut, x.data(), w.data(), len, g.data());
    intops::hadamardInt(g.data(), split, hk, shift);
    addBeats(v, 0, x, intops::quantizePot(g, 4), 4);
  }
  reset(dut);
  configure(dut, lut, w, 13, shift);
  rtl::htuSignBits(hk, split.k, unsigned(split.k)).store(dut.hk_signs_i);
  const StreamRun run = runStream(
      dut, rng, v.in[0], v.out[0].size(), [](Dut& d, const Bits& b) { b.store(d.data_i); },
      [](Dut& d) {
        Bits o(8 * 4 + 4);
        o.set(0, 32, d.data_o);
        o.set(32, 4, d.exp_o);
        return o;
      },
      pv, pr);
  NqRun r;
  r.ok = run.protocolOk;
  r.bad = countMismatches(run.outputs, v.out[0]);
  r.beats = run.outputs.size();
  r.cycles = run.lastOutCycle - run.firstInCycle + 1;
  return r;
}

}  // namespace

TEST_CASE("sm_norm_quant's K-point rotation (d_inner 1536 = 12 x 128, mamba2-130m) matches hadamardInt",
          "[rtl][mixer]") {
  Rng rng(testSeed("sm_norm_quant k12", 0xAD));
  REQUIRE(hadamardSplit(1536).k == 12);
  REQUIRE(hadamardSplit(1536).pow2 == 128);
  {
    Vsm_norm_quant_k12 dut;
    const NqRun r = runRandomNq(dut, rng, 1536, 12, 0.7, 0.6);
    CHECK(r.ok);
    CHECK(r.bad == 0);
    CHECK(r.beats == 12 * 192);
  }
  Vsm_norm_quant_k12 dut;
  const NqRun r = runRandomNq(dut, rng, 1536, 4, 1.0, 1.0);
  CHECK(r.bad == 0);
  std::printf("[cycles] sm_norm_quant (gated norm, Len 1536 = 12 x 128, 4-bit): %llu cycles for 4 vectors stall-free\n",
              static_cast<unsigned long long>(r.cycles));
  Vsm_norm_quant_k12_bug bug;
  CHECK(runRandomNq(bug, rng, 1536, 2, 0.7, 0.6).bad > 0);
}
