// sm_mamba_layer: whole layers of the quantized tiny models, residual in and
// weight beats streamed in, the new residual out, against
// Mamba2Int::layerDecode (Tp = 1) and layerBatch (a chain of Tp tokens per
// pass), bit for bit: the residual it writes and the conv and SSM states it
// leaves after every pass, on every layer; random back-pressure on all three
// streams; a broken variant.
#include <catch2/catch.hpp>

#include "Vsm_layer.h"
#include "Vsm_layer_bug.h"
#include "Vsm_layer_t256.h"
#include "Vsm_layer_tp3_w8.h"
#include "Vsm_layer_tree.h"
#include "Vsm_layer_tree_bug.h"
#include "models/int/Mamba2Int.h"
#include "models/rotation/Hadamard.h"
#include "sim/platform/rtl/HtuSigns.h"
#include "sim/platform/rtl/MmuBeat.h"
#include "tests/rtl/MixerPorts.h"
#include "tests/rtl/RmsLutPort.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/TinyModel.h"

using namespace specmamba;
using namespace specmamba::rtltest;

namespace {

struct LayerPass {
  std::vector<Bits> resIn, resOut;  // beats in stream order
  IntLayerState after;
  uint32_t nchild = 0;  // tree passes: children per node, 2 bits each
};

// Residual in: token-major, 8 int32 per beat.
std::vector<Bits> residualInBeats(const std::vector<int32_t>& r, int tokens, int dm) {
  std::vector<Bits> beats;
  for (int t = 0; t < tokens; ++t)
    for (int b = 0; b < dm / 8; ++b) {
      Bits x(256);
      for (int l = 0; l < 8; ++l) x.set(unsigned(l) * 32, 32, uint32_t(r[size_t(t * dm + b * 8 + l)]));
      beats.push_back(x);
    }
  return beats;
}

// Residual out: tile-major, the token inner.
std::vector<Bits> residualOutBeats(const std::vector<int32_t>& r, int tokens, int dm) {
  std::vector<Bits> beats;
  for (int b = 0; b < dm / 8; ++b)
    for (int t = 0; t < tokens; ++t) {
      Bits x(256);
      for (int l = 0; l < 8; ++l) x.set(unsigned(l) * 32, 32, uint32_t(r[size_t(t * dm + b * 8 + l)]));
      beats.push_back(x);
    }
  return beats;
}

// [layer][pass]: `passes` passes of `tokens` chained tokens each, through
// layerDecode (one token) or layerBatch.
std::vector<std::vector<LayerPass>> layerPasses(const Mamba2Int& m, int tokens, int passes) {
  const ModelConfig& c = m.config();
  const int dm = c.dModel;
  std::vector<std::vector<LayerPass>> out(size_t(c.nLayer));
  IntState st = m.initialState();
  std::vector<int32_t> residual(size_t(tokens * dm));
  for (int p = 0; p < passes; ++p) {
    for (int t = 0; t < tokens; ++t) m.embed(((p * tokens + t) * 71 + 5) % c.vocabSize, residual.data() + t * dm);
    for (int l = 0; l < c.nLayer; ++l) {
      LayerPass lp;
      lp.resIn = residualInBeats(residual, tokens, dm);
      if (tokens == 1) m.layerDecode(l, residual.data(), st.layers[size_t(l)]);
      else m.layerBatch(l, tokens, residual.data(), st.layers[size_t(l)]);
      lp.resOut = residualOutBeats(residual, tokens, dm);
      lp.after = st.layers[size_t(l)];
      out[size_t(l)].push_back(std::move(lp));
    }
  }
  return out;
}

// [layer][pass]: one pass per tree (parent lists in BFS order, all of
// `tokens` nodes): node i runs layerDecode from its parent's state (node 0
// from the state the previous pass left, which is its last node's).
std::vector<std::vector<LayerPass>> treePasses(const Mamba2Int& m, const std::vector<std::vector<int>>& trees) {
  const ModelConfig& c = m.config();
  const int dm = c.dModel;
  std::vector<std::vector<LayerPass>> out(size_t(c.nLayer));
  IntState committed = m.initialState();
  for (size_t p = 0; p < trees.size(); ++p) {
    const std::vector<int>& parent = trees[p];
    const int n = int(parent.size());
    uint32_t nchild = 0;
    for (int i = 1; i < n; ++i) nchild += 1u << (2 * parent[size_t(i)]);
    std::vector<int32_t> residual(size_t(n * dm));
    for (int t = 0; t < n; ++t) m.embed((int(p) * 37 + t * 71 + 11) % c.vocabSize, residual.data() + t * dm);
    for (int l = 0; l < c.nLayer; ++l) {
      LayerPass lp;
      lp.nchild = nchild;
      lp.resIn = residualInBeats(residual, n, dm);
      std::vector<IntLayerState> st(static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) {
        st[size_t(i)] = i == 0 ? committed.layers[size_t(l)] : st[size_t(parent[size_t(i)])];
        m.layerDecode(l, residual.data() + i * dm, st[size_t(i)]);
      }
      committed.layers[size_t(l)] = st.back();
      lp.resOut = residualOutBeats(residual, n, dm);
      lp.after = st.back();
      out[size_t(l)].push_back(std::move(lp));
    }
  }
  return out;
}

// A layer weight beat: the 8 x 8 weights of sm_mmu's beat, then s1[8], s2[8].
std::vector<Bits> weightBeats(const intops::IntLinear& L, unsigned bits) {
  const rtl::MmuShape sh{1, bits, bits};
  std::vector<Bits> beats;
  for (int r = 0; r < L.rows; r += 8)
    for (unsigned b = 0; b < unsigned(L.cols) / 8; ++b) {
      const Bits mmu = rtl::packMmuBeat(sh, L, 0, nullptr, nullptr, b, unsigned(r));
      Bits w(sh.wW() + 2 * sh.sW());
      for (unsigned i = 0; i < sh.wW(); i += 32) w.set(i, 32, mmu.get(i, 32));
      w.set(sh.wW(), 2 * sh.sW(), mmu.get(sh.s1At(), 2 * sh.sW()));
      beats.push_back(w);
    }
  return beats;
}

// The two norms' thresholds, tables and weights, and the three shifts.
template <typename Dut>
void loadNorms(Dut& dut, const Mamba2Int& m, int l) {
  const IntLayerWeights& L = m.weights().layers[size_t(l)];
  const intops::RmsLut* luts[2] = {&L.norm, &L.gatedNorm};
  const std::vector<int16_t>* ws[2] = {&L.normW, &L.gatedNormW};
  Bits alpha(2 * 8 * 64), l2d(2 * 8 * 6), off(2 * 8 * 6);
  for (unsigned n = 0; n < 2; ++n) {
    packRmsThresholds(*luts[n], alpha, l2d, off, n);
    dut.nt_sel_i = n;
    dut.nt_we_i = 1;
    for (size_t a = 0; a < luts[n]->table.size(); ++a) {
      dut.nt_addr_i = uint16_t(a);
      dut.nt_data_i = luts[n]->table[a];
      tick(dut);
    }
    dut.nt_we_i = 0;
    dut.nw_sel_i = n;
    dut.nw_we_i = 1;
    for (size_t b = 0; b < ws[n]->size() / 8; ++b) {
      Bits wb(8 * 13);
      for (unsigned j = 0; j < 8; ++j) wb.set(j * 13, 13, uint64_t(uint16_t((*ws[n])[b * 8 + j])) & 0x1fff);
      dut.nw_addr_i = uint8_t(b);
      wb.store(dut.nw_data_i);
      tick(dut);
    }
    dut.nw_we_i = 0;
  }
  alpha.store(dut.nrm_alpha_i);
  l2d.store(dut.nrm_log2denom_i);
  off.store(dut.nrm_offset_i);
  dut.shift_in_i = uint8_t(L.inProj.outShift);
  dut.shift_out_i = uint8_t(L.outProj.outShift);
  dut.shift_rot_i = uint8_t(intops::hadamardShift(m.config().dInner));
  const HadamardSplit split = hadamardSplit(m.config().dInner);
  const std::vector<int8_t> hk = hadamardMatrix(split.k);
  rtl::htuSignBits(hk, split.k, unsigned(split.k)).store(dut.hk_signs_i);
}

struct PassRun {
  std::vector<Bits> out;
  uint64_t cycles = 0;  // first input handshake to last output handshake
  bool protocolOk = true;
};

// One pass: the residual and weight streams each offer a beat with
// probability pv per cycle (held until taken), the output is taken with
// probability pr; the output must hold while refused.
template <typename Dut>
PassRun runPass(Dut& dut, Rng& rng, const std::vector<Bits>& res, const std::vector<Bits>& w, size_t outs, double pv,
                double pr) {
  PassRun run;
  const uint64_t maxCycles = 20000 + uint64_t(40.0 * double(res.size() + w.size() + outs) / (pv * pr));
  size_t ri = 0, wi = 0;
  bool rOffer = false, wOffer = false, stalled = false, started = false;
  Bits held(256);
  uint64_t first = 0;
  for (uint64_t cycle = 0; run.out.size() < outs && cycle < maxCycles; ++cycle) {
    if (!rOffer && ri < res.size() && chance(rng, pv)) rOffer = true;
    if (!wOffer && wi < w.size() && chance(rng, pv)) wOffer = true;
    dut.res_valid_i = rOffer;
    if (rOffer) res[ri].store(dut.res_i);
    dut.w_valid_i = wOffer;
    if (wOffer) w[wi].store(dut.w_i);
    dut.res_ready_i = chance(rng, pr);
    dut.eval();
    Bits now(256);
    now.load(dut.res_o);
    if (stalled && !(dut.res_valid_o && sameBits(now, held))) run.protocolOk = false;
    stalled = dut.res_valid_o && !dut.res_ready_i;
    held = now;
    if (rOffer && dut.res_ready_o) {
      if (!started) first = cycle;
      started = true;
      ++ri;
      rOffer = false;
    }
    if (wOffer && dut.w_ready_o) {
      ++wi;
      wOffer = false;
    }
    if (dut.res_valid_o && dut.res_ready_i) {
      run.out.push_back(now);
      run.cycles = cycle - first + 1;
    }
    tick(dut);
  }
  dut.res_valid_i = 0;
  dut.w_valid_i = 0;
  dut.res_ready_i = 0;
  tick(dut);
  // every input taken, nothing more offered
  if (ri != res.size() || wi != w.size() || dut.res_valid_o) {
    run.protocolOk = false;
    std::printf("stream stuck: %zu/%zu residual beats, %zu/%zu weight beats taken, %zu/%zu out\n", ri, res.size(), wi,
                w.size(), run.out.size(), outs);
  }
  return run;
}

struct LayerRun {
  size_t resBad = 0, convBad = 0, ssmBad = 0, passes = 0;
  bool ok = true;
  uint64_t passCycles = 0;  // of the last pass
};

template <typename Dut>
LayerRun runLayers(Dut& dut, Rng& rng, const Mamba2Int& m, const std::vector<std::vector<LayerPass>>& passes,
                   double pv, double pr) {
  const ModelConfig& c = m.config();
  const unsigned bits = unsigned(precisionBits(m.weights().precision));
  const unsigned groups = unsigned(c.convDim() / 8), kernel = unsigned(c.dConv);
  LayerRun r;
  reset(dut);
  loadTables(dut, m.weights());
  for (int l = 0; l < c.nLayer; ++l) {
    const IntLayerWeights& L = m.weights().layers[size_t(l)];
    loadMixerParams(dut, m, l);
    loadNorms(dut, m, l);
    loadMixerStates(dut, m.initialState().layers[size_t(l)], groups, kernel);
    std::vector<Bits> w = weightBeats(L.inProj, bits);
    const std::vector<Bits> wOut = weightBeats(L.outProj, bits);
    w.insert(w.end(), wOut.begin(), wOut.end());
    for (const LayerPass& p : passes[size_t(l)]) {
      dut.nchild_i = p.nchild;
      const PassRun run = runPass(dut, rng, p.resIn, w, p.resOut.size(), pv, pr);
      r.ok = r.ok && run.protocolOk && dut.idle_o && !dut.tree_overflow_o;
      r.resBad += countMismatches(run.out, p.resOut);
      r.convBad += convMismatches(dut, p.after.conv, groups, kernel);
      r.ssmBad += ssmStateMismatches(dut, p.after.ssm);
      r.passCycles = run.cycles;
      ++r.passes;
    }
  }
  return r;
}

template <typename Dut>
void checkLayer(const char* name, Rng& rng, const IntModelWeights& q, int tp, int passes,
                const std::vector<std::vector<int>>& trees = {}) {
  const Mamba2Int m(q);
  const auto vectors = trees.empty() ? layerPasses(m, tp, passes) : treePasses(m, trees);
  {
    Dut dut;
    const LayerRun r = runLayers(dut, rng, m, vectors, 0.7, 0.6);
    CHECK(r.ok);
    CHECK(r.resBad == 0);
    CHECK(r.convBad == 0);
    CHECK(r.ssmBad == 0);
    CHECK(r.passes == size_t(m.config().nLayer) * vectors[0].size());
  }
  Dut dut;
  const LayerRun r = runLayers(dut, rng, m, vectors, 1.0, 1.0);
  CHECK(r.ok);
  CHECK(r.resBad + r.convBad + r.ssmBad == 0);
  std::printf("[cycles] %s: %llu cycles per layer pass of %d token(s) stall-free\n", name,
              static_cast<unsigned long long>(r.passCycles), tp);
}

}  // namespace

TEST_CASE("sm_mamba_layer matches Mamba2Int::layerDecode on every tiny-64 layer (W4A4)", "[rtl][layer]") {
  Rng rng(testSeed("sm_mamba_layer", 0xB1));
  checkLayer<Vsm_layer>("sm_mamba_layer (tiny-64, W4A4, Tp 1)", rng, tiny64W4A4(), 1, 6);
}

TEST_CASE("sm_mamba_layer with Tp = 3 matches Mamba2Int::layerBatch on every tiny-64 layer (W8A8)",
          "[rtl][layer]") {
  Rng rng(testSeed("sm_mamba_layer tp3", 0xB2));
  REQUIRE(tiny64W8A8().precision == Precision::W8A8);
  checkLayer<Vsm_layer_tp3_w8>("sm_mamba_layer (tiny-64, W8A8, Tp 3 chain)", rng, tiny64W8A8(), 3, 3);
}

TEST_CASE("sm_mamba_layer with a token tree of 4 nodes matches layerDecode from each node's parent state (tiny-64)",
          "[rtl][layer]") {
  Rng rng(testSeed("sm_mamba_layer tree", 0xB5));
  // BFS parent lists: a tree (2, 1 children), a star, a chain, the tree again
  const std::vector<std::vector<int>> trees = {
      {-1, 0, 0, 1}, {-1, 0, 0, 0}, {-1, 0, 1, 2}, {-1, 0, 0, 1}, {-1, 0, 0, 2}};
  checkLayer<Vsm_layer_tree>("sm_mamba_layer (tiny-64, W4A4, tree of 4 nodes)", rng, tiny64W4A4(), 4, 0, trees);
}

TEST_CASE("sm_mamba_layer matches Mamba2Int::layerDecode on every tiny-256 layer (W4A4)", "[rtl][layer]") {
  Rng rng(testSeed("sm_mamba_layer tiny-256", 0xB3));
  REQUIRE(hadamardSplit(512).k == 4);  // the rotation runs the K-point stage
  checkLayer<Vsm_layer_t256>("sm_mamba_layer (tiny-256, W4A4, Tp 1, H_4 x H_128)", rng, tiny256W4A4(), 1, 2);
}

TEST_CASE("sm_mamba_layer regression catches a residual add off by one", "[rtl][layer]") {
  Rng rng(testSeed("sm_mamba_layer bug", 0xB4));
  const Mamba2Int m(tiny64W4A4());
  Vsm_layer_bug dut;
  const LayerRun r = runLayers(dut, rng, m, layerPasses(m, 1, 1), 0.7, 0.6);
  CHECK(r.resBad > 0);
  CHECK(r.convBad + r.ssmBad == 0);  // only the residual add is broken
}

TEST_CASE("sm_mamba_layer regression catches a child started from the wrong SSM state", "[rtl][layer]") {
  Rng rng(testSeed("sm_mamba_layer tree bug", 0xB6));
  const Mamba2Int m(tiny64W4A4());
  {  // a chain: the previous node is the parent, so the bug does not show
    Vsm_layer_tree_bug dut;
    const LayerRun r = runLayers(dut, rng, m, treePasses(m, {{-1, 0, 1, 2}}), 0.7, 0.6);
    CHECK(r.resBad + r.convBad + r.ssmBad == 0);
  }
  Vsm_layer_tree_bug dut;
  const LayerRun r = runLayers(dut, rng, m, treePasses(m, {{-1, 0, 0, 0}}), 0.7, 0.6);
  CHECK(r.resBad > 0);
}
