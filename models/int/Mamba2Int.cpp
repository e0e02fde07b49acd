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

void Mamba2Int::mixerMiddle(int layer, const int32_t* zx, IntLayerState& st, int32_t* out,
                            IntLayerTrace* trace) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  const int D = c.dInner, N = c.dState, H = c.nHeads, convDim = c.convDim();
  const int32_t* z = zx;
  const int32_t* xbc = zx + D;
  const int32_t* dtRaw = xbc + convDim;

  // conv1d over int8 xBC, then SiLU, then 8-bit x | B | C.
  PotVector convIn(convDim);
  quantizePot(xbc, convDim, 8, convIn.q.data(), convIn.s.data());
  std::vector<int32_t> convOut(static_cast<size_t>(convDim));
  conv1dStep(L.conv, st.conv, convIn.q.data(), convIn.s.data(), convOut.data());
  std::vector<int32_t> act(static_cast<size_t>(convDim));
  for (int i = 0; i < convDim; ++i) act[size_t(i)] = lut(w_.silu, convOut[size_t(i)]);
  const PotVector xbcq = quantizePot(act, 8);
  const PotVector x = slice(xbcq, 0, D), B = slice(xbcq, D, N), C = slice(xbcq, D + N, N);

  std::vector<int32_t> dt(static_cast<size_t>(H));
  for (int h = 0; h < H; ++h)
    dt[size_t(h)] = lut(w_.softplus, fit32(int64_t(dtRaw[h]) + L.dtBias[size_t(h)], "dt + bias"));
  const PotVector dtq = quantizePot(dt, 8);

  SsmParams p;
  p.nHeads = H;
  p.headdim = c.headdim;
  p.dState = N;
  p.aQ = L.aQ.data();
  p.aS = L.aS.data();
  p.dQ = L.dQ.data();
  p.dS = L.dS.data();
  p.exp = &w_.exp;
  std::vector<int32_t> y(static_cast<size_t>(D));
  ssmStep(p, x, B, C, dtq, st.ssm, y.data(), trace ? &trace->ssm : nullptr);

  const PotVector yq = quantizePot(y, 8);
  std::vector<int32_t> sz(static_cast<size_t>(D));
  for (int i = 0; i < D; ++i) sz[size_t(i)] = lut(w_.silu, z[i]);
  const PotVector zq = quantizePot(sz, 8);
  std::vector<int32_t> yz(static_cast<size_t>(D));
  for (int i = 0; i < D; ++i)
    yz[size_t(i)] = gateYz(yq.q[size_t(i)], yq.s[size_t(i / kGroup)], zq.q[size_t(i)],
                           zq.s[size_t(i / kGroup)]);
  rmsnorm(L.gatedNorm, yz.data(), L.gatedNormW.data(), D, out);
  if (trace) {
    trace->convIn = convIn;
    trace->convOut = convOut;
    trace->xbc = xbcq;
    trace->dt = dt;
    trace->dtq = dtq;
    trace->y = y;
    trace->yq = yq;
    trace->zq = zq;
    trace->yz = yz;
    trace->gated.assign(out, out + D);
  }
  if (w_.rotation == RotationMode::Online) hadamardInt(out, htu_, htuK_, htuShift_);
  if (trace) trace->rotated.assign(out, out + D);
}

void Mamba2Int::layerImpl(int layer, int T, int32_t* residual, IntLayerState& st,
                          IntLayerTrace* trace) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  const int bits = precisionBits(w_.precision);
  const int dm = c.dModel, D = c.dInner, rows = c.inProjOut();

  std::vector<int32_t> u(size_t(T) * dm);
  std::vector<int8_t> uq(size_t(T) * dm);
  std::vector<uint8_t> us(size_t(T) * dm / kGroup);
  for (int t = 0; t < T; ++t) {
    rmsnorm(L.norm, residual + size_t(t) * dm, L.normW.data(), dm, u.data() + size_t(t) * dm);
    quantizePot(u.data() + size_t(t) * dm, dm, bits, uq.data() + size_t(t) * dm,
                us.data() + size_t(t) * dm / kGroup);
  }
  std::vector<int32_t> zx(size_t(T) * rows);
  linearBatch(L.inProj, T, uq.data(), us.data(), zx.data());

  std::vector<int32_t> g(static_cast<size_t>(D));
  std::vector<int8_t> gq(size_t(T) * D);
  std::vector<uint8_t> gs(size_t(T) * D / kGroup);
  for (int t = 0; t < T; ++t) {  // the SSM runs token by token
    mixerMiddle(layer, zx.data() + size_t(t) * rows, st, g.data(), trace);
    quantizePot(g.data(), D, bits, gq.data() + size_t(t) * D, gs.data() + size_t(t) * D / kGroup);
  }
  std::vector<int32_t> out(size_t(T) * dm);
  linearBatch(L.outProj, T, gq.data(), gs.data(), out.data());
  if (trace) {
    trace->residualIn.assign(residual, residual + dm);
    trace->u = u;
    trace->uq.q = uq;
    trace->uq.s = us;
    trace->zxbcdt = zx;
    trace->outIn.q = gq;
    trace->outIn.s = gs;
    trace->out = out;
  }
  for (size_t i = 0; i < out.size(); ++i)
    residual[i] = fit32(int64_t(residual[i]) + out[i], "residual");
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
