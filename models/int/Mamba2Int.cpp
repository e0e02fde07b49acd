#include "models/int/Mamba2Int.h"

#include <fmt/format.h>

#include <cmath>

#include "models/common/Error.h"
#include "models/common/Greedy.h"
#include "models/fp32/Fp32Ops.h"
#include "models/fp32/Mamba2Fp32.h"

namespace specmamba {

using namespace intops;

namespace {

PotVector slice(const PotVector& v, int begin, int n) {
  PotVector out;
  out.q.assign(v.q.begin() + begin, v.q.begin() + begin + n);
  out.s.assign(v.s.begin() + begin / kGroup, v.s.begin() + (begin + n) / kGroup);
  return out;
}

}  // namespace

Mamba2Int::Mamba2Int(const IntModelWeights& weights) : w_(weights) {
  if (w_.rotation == RotationMode::Online) {
    htu_ = hadamardSplit(config().dInner);
    htuK_ = hadamardMatrix(htu_.k);
    htuShift_ = hadamardShift(config().dInner);
  }
}

IntState Mamba2Int::initialState() const {
  IntState s;
  const auto& c = config();
  for (int l = 0; l < c.nLayer; ++l) {
    s.layers.push_back(
        {zeroConvWindow(w_.layers[size_t(l)].conv), zeroSsmState(c.nHeads, c.headdim, c.dState)});
  }
  return s;
}

void Mamba2Int::embed(int token, int32_t* residual) const {
  const auto& c = config();
  if (token < 0 || token >= c.vocabSize) {
    throw Error(
        fmt::format("token id {} out of range [0, {}) for model {}", token, c.vocabSize, c.name));
  }
  const float* e = w_.embedding.row(token);
  for (int i = 0; i < c.dModel; ++i)
    residual[i] = fit32(std::llround(std::ldexp(double(e[i]), kResidualFrac)), "embedding");
}

void Mamba2Int::head(const int32_t* residual, float* logits) const {
  const auto& c = config();
  std::vector<float> r(size_t(c.dModel)), h(size_t(c.dModel));
  for (int i = 0; i < c.dModel; ++i)
    r[size_t(i)] = float(std::ldexp(double(residual[i]), -kResidualFrac));
  fp32::rmsnorm(r.data(), w_.normF.data(), c.dModel, c.normEps, h.data());
  fp32::gemv(w_.lmHead, h.data(), logits);
}

PotVector Mamba2Int::convInput(const int32_t* zxRow) const {
  const auto& c = config();
  PotVector convIn(c.convDim());
  quantizePot(zxRow + c.dInner, c.convDim(), 8, convIn.q.data(), convIn.s.data());
  return convIn;
}

Mamba2Int::SsmInputs Mamba2Int::prepare(int layer, const ConvWindow& window,
                                        const PotVector& convIn, const int32_t* zxRow,
                                        IntLayerTrace* trace) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  const int D = c.dInner, N = c.dState, H = c.nHeads, convDim = c.convDim();
  const int32_t* dtRaw = zxRow + D + convDim;

  // conv1d over int8 xBC, then SiLU, then 8-bit x | B | C.
  ConvWindow scratch = window;  // conv1dStep shifts its window; the caller owns this one
  std::vector<int32_t> convOut(static_cast<size_t>(convDim));
  conv1dStep(L.conv, scratch, convIn.q.data(), convIn.s.data(), convOut.data());
  std::vector<int32_t> act(static_cast<size_t>(convDim));
  for (int i = 0; i < convDim; ++i) act[size_t(i)] = lut(w_.silu, convOut[size_t(i)]);
  const PotVector xbcq = quantizePot(act, 8);

  std::vector<int32_t> dtIn(static_cast<size_t>(H)), dt(static_cast<size_t>(H));
  for (int h = 0; h < H; ++h) {
    dtIn[size_t(h)] = fit32(int64_t(dtRaw[h]) + L.dtBias[size_t(h)], "dt + bias");
    dt[size_t(h)] = lut(w_.softplus, dtIn[size_t(h)]);
  }
  SsmInputs in{slice(xbcq, 0, D), slice(xbcq, D, N), slice(xbcq, D + N, N), quantizePot(dt, 8)};
  if (trace) {
    trace->convIn = convIn;
    trace->convOut = convOut;
    trace->siluXbc = act;
    trace->xbc = xbcq;
    trace->dtIn = dtIn;
    trace->dt = dt;
    trace->dtq = in.dt;
  }
  return in;
}

void Mamba2Int::pushConvInput(ConvWindow& window, const PotVector& convIn) const {
  const int C = config().convDim(), G = C / kGroup, K = config().dConv;
  for (int k = 0; k + 1 < K - 1; ++k) {  // oldest out
    std::copy(window.q.begin() + (k + 1) * C, window.q.begin() + (k + 2) * C,
              window.q.begin() + k * C);
    std::copy(window.s.begin() + (k + 1) * G, window.s.begin() + (k + 2) * G,
              window.s.begin() + k * G);
  }
  std::copy(convIn.q.begin(), convIn.q.end(), window.q.begin() + size_t(K - 2) * C);
  std::copy(convIn.s.begin(), convIn.s.end(), window.s.begin() + size_t(K - 2) * G);
}

void Mamba2Int::ssmHeads(int layer, int h0, int h1, const SsmInputs& in, SsmState& tile,
                         int32_t* y, SsmTrace* trace) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  const int P = c.headdim;
  if (h0 < 0 || h0 >= h1 || h1 > c.nHeads || h0 % kGroup != 0 || h1 % kGroup != 0) {
    throw Error(fmt::format("integer SSM tile [{}, {}) of {} heads must be whole groups of {} heads",
                            h0, h1, c.nHeads, kGroup));
  }
  SsmParams p;
  p.nHeads = h1 - h0;
  p.headdim = P;
  p.dState = c.dState;
  p.aQ = L.aQ.data() + h0;
  p.aS = L.aS.data() + h0 / kGroup;
  p.dQ = L.dQ.data() + h0;
  p.dS = L.dS.data() + h0 / kGroup;
  p.exp = &w_.exp;
  if (h0 == 0 && h1 == c.nHeads) {
    ssmStep(p, in.x, in.B, in.C, in.dt, tile, y, trace);
  } else {
    ssmStep(p, slice(in.x, h0 * P, (h1 - h0) * P), in.B, in.C, slice(in.dt, h0, h1 - h0), tile,
            y + size_t(h0) * P, trace);
  }
}

SsmState Mamba2Int::sliceHeads(const SsmState& full, int h0, int h1) const {
  const auto& c = config();
  const int D = c.dInner, P = c.headdim, W = (h1 - h0) * P;
  SsmState t;
  t.h.resize(size_t(c.dState) * W);
  t.s.resize(size_t(c.dState) * W / kGroup);
  for (int n = 0; n < c.dState; ++n) {
    const size_t from = size_t(n) * D + size_t(h0) * P, to = size_t(n) * W;
    std::copy(full.h.begin() + long(from), full.h.begin() + long(from + W), t.h.begin() + long(to));
    std::copy(full.s.begin() + long(from / kGroup), full.s.begin() + long((from + W) / kGroup),
              t.s.begin() + long(to / kGroup));
  }
  return t;
}

void Mamba2Int::storeHeads(SsmState& full, const SsmState& tile, int h0, int h1) const {
  const auto& c = config();
  const int D = c.dInner, P = c.headdim, W = (h1 - h0) * P;
  for (int n = 0; n < c.dState; ++n) {
    const size_t to = size_t(n) * D + size_t(h0) * P, from = size_t(n) * W;
    std::copy(tile.h.begin() + long(from), tile.h.begin() + long(from + W),
              full.h.begin() + long(to));
    std::copy(tile.s.begin() + long(from / kGroup), tile.s.begin() + long((from + W) / kGroup),
              full.s.begin() + long(to / kGroup));
  }
}

void Mamba2Int::project(int layer, int T, const int32_t* residual, int32_t* zx,
                        IntLayerTrace* trace) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  const int bits = precisionBits(w_.precision);
  const int dm = c.dModel;
  std::vector<int32_t> u(size_t(T) * dm);
  std::vector<int8_t> uq(size_t(T) * dm);
  std::vector<uint8_t> us(size_t(T) * dm / kGroup);
  for (int t = 0; t < T; ++t) {
    rmsnorm(L.norm, residual + size_t(t) * dm, L.normW.data(), dm, u.data() + size_t(t) * dm);
    quantizePot(u.data() + size_t(t) * dm, dm, bits, uq.data() + size_t(t) * dm,
                us.data() + size_t(t) * dm / kGroup);
  }
  linearBatch(L.inProj, T, uq.data(), us.data(), zx);
  if (trace) {
    trace->u = u;
    trace->uq.q = uq;
    trace->uq.s = us;
  }
}

void Mamba2Int::finish(int layer, int T, const int32_t* zx, const int32_t* yAll,
                       int32_t* residual, IntLayerTrace* trace) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  const int bits = precisionBits(w_.precision);
  const int D = c.dInner, dm = c.dModel, rows = c.inProjOut();
  std::vector<int32_t> g(static_cast<size_t>(D)), sz(static_cast<size_t>(D));
  std::vector<int32_t> yz(static_cast<size_t>(D));
  std::vector<int8_t> gq(size_t(T) * D);
  std::vector<uint8_t> gs(size_t(T) * D / kGroup);
  for (int t = 0; t < T; ++t) {
    const int32_t* z = zx + size_t(t) * rows;
    const std::vector<int32_t> y(yAll + size_t(t) * D, yAll + size_t(t + 1) * D);
    const PotVector yq = quantizePot(y, 8);
    for (int i = 0; i < D; ++i) sz[size_t(i)] = lut(w_.silu, z[i]);
    const PotVector zq = quantizePot(sz, 8);
    for (int i = 0; i < D; ++i)
      yz[size_t(i)] = gateYz(yq.q[size_t(i)], yq.s[size_t(i / kGroup)], zq.q[size_t(i)],
                             zq.s[size_t(i / kGroup)]);
    rmsnorm(L.gatedNorm, yz.data(), L.gatedNormW.data(), D, g.data());
    if (trace) {
      trace->y = y;
      trace->siluZ = sz;
      trace->yq = yq;
      trace->zq = zq;
      trace->yz = yz;
      trace->gated = g;
    }
    if (w_.rotation == RotationMode::Online) hadamardInt(g.data(), htu_, htuK_, htuShift_);
    if (trace) trace->rotated = g;
    quantizePot(g.data(), D, bits, gq.data() + size_t(t) * D, gs.data() + size_t(t) * D / kGroup);
  }
  std::vector<int32_t> out(size_t(T) * dm);
  linearBatch(L.outProj, T, gq.data(), gs.data(), out.data());
  if (trace) {
    trace->outIn.q = gq;
    trace->outIn.s = gs;
    trace->out = out;
  }
  for (size_t i = 0; i < out.size(); ++i)
    residual[i] = fit32(int64_t(residual[i]) + out[i], "residual");
}

void Mamba2Int::layerImpl(int layer, int T, int32_t* residual, IntLayerState& st,
                          IntLayerTrace* trace) const {
  const auto& c = config();
  const int dm = c.dModel, D = c.dInner, rows = c.inProjOut();
  if (trace) trace->residualIn.assign(residual, residual + dm);
  std::vector<int32_t> zx(size_t(T) * rows);
  project(layer, T, residual, zx.data(), trace);
  std::vector<int32_t> y(size_t(T) * D);
  for (int t = 0; t < T; ++t) {  // the conv and the SSM run token by token
    const int32_t* row = zx.data() + size_t(t) * rows;
    const PotVector convIn = convInput(row);
    const SsmInputs in = prepare(layer, st.conv, convIn, row, trace);
    pushConvInput(st.conv, convIn);
    ssmHeads(layer, 0, c.nHeads, in, st.ssm, y.data() + size_t(t) * D,
             trace ? &trace->ssm : nullptr);
  }
  if (trace) trace->zxbcdt = zx;
  finish(layer, T, zx.data(), y.data(), residual, trace);
  if (trace) trace->residualOut.assign(residual, residual + dm);
}

void Mamba2Int::layerDecode(int layer, int32_t* residual, IntLayerState& st,
                            IntLayerTrace* trace) const {
  layerImpl(layer, 1, residual, st, trace);
}

void Mamba2Int::layerBatch(int layer, int tokens, int32_t* residual, IntLayerState& st) const {
  if (tokens < 1) throw Error("layerBatch needs at least one token");
  layerImpl(layer, tokens, residual, st, nullptr);
}

void Mamba2Int::decode(int token, IntState& state, float* logits) const {
  const auto& c = config();
  std::vector<int32_t> r(size_t(c.dModel));
  embed(token, r.data());
  for (int l = 0; l < c.nLayer; ++l) layerDecode(l, r.data(), state.layers[size_t(l)]);
  head(r.data(), logits);
}

void Mamba2Int::prefill(const std::vector<int>& tokens, IntState& state, float* lastLogits) const {
  const auto& c = config();
  if (tokens.empty()) throw Error("prefill needs at least one token");
  const int T = int(tokens.size());
  std::vector<int32_t> r(size_t(T) * c.dModel);
  for (int t = 0; t < T; ++t) embed(tokens[size_t(t)], r.data() + size_t(t) * c.dModel);
  for (int l = 0; l < c.nLayer; ++l) layerBatch(l, T, r.data(), state.layers[size_t(l)]);
  head(r.data() + size_t(T - 1) * c.dModel, lastLogits);
}

std::vector<int> Mamba2Int::generateGreedy(const std::vector<int>& prompt, int count,
                                           IntState& state) const {
  return greedyContinuation(*this, prompt, count, state);
}

}  // namespace specmamba
