#include "models/fp32/Mamba2Fp32.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "models/common/Error.h"
#include "models/common/Greedy.h"
#include "models/fp32/Fp32Ops.h"
#include "models/rotation/Hadamard.h"

namespace specmamba {

using fp32::dot;
using fp32::silu;
using fp32::softplus;

int argmax(const float* v, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i) {
    if (v[i] > v[best]) best = i;
  }
  return best;
}

Mamba2Fp32::Mamba2Fp32(const Mamba2Weights& weights) : w_(weights) {
  if (w_.onlineHadamard) online_ = std::make_shared<const HadamardRotation>(w_.config.dInner);
}

void Mamba2Fp32::outProjInput(int layer, float* y) const {
  if (online_) online_->apply(y);
  if (hooks_.outProjInput) hooks_.outProjInput(layer, y, config().dInner);
}

void Mamba2Fp32::checkToken(int token) const {
  if (token < 0 || token >= config().vocabSize) {
    throw Error(fmt::format("token id {} out of range [0, {}) for model {}", token,
                            config().vocabSize, config().name));
  }
}

void Mamba2Fp32::embed(int token, float* residual) const {
  checkToken(token);
  std::memcpy(residual, w_.embedding.row(token), sizeof(float) * size_t(config().dModel));
}

void Mamba2Fp32::head(const float* residual, float* logits, float* finalHidden) const {
  const auto& c = config();
  std::vector<float> h(size_t(c.dModel));
  fp32::rmsnorm(residual, w_.normF.data(), c.dModel, c.normEps, h.data());
  fp32::gemv(w_.lmHeadMatrix(), h.data(), logits);
  if (finalHidden) std::copy(h.begin(), h.end(), finalHidden);
}

void Mamba2Fp32::project(int layer, const float* residual, float* zxbcdt) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  std::vector<float> u(static_cast<size_t>(c.dModel));
  fp32::rmsnorm(residual, L.norm.data(), c.dModel, c.normEps, u.data());
  if (hooks_.inProjInput) hooks_.inProjInput(layer, u.data(), c.dModel);
  fp32::gemv(L.inProj, u.data(), zxbcdt);
}

void Mamba2Fp32::projectBatch(int layer, const Matrix& residual, Matrix& zxbcdt) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  Matrix u(residual.rows, c.dModel);
  for (int t = 0; t < residual.rows; ++t) {
    fp32::rmsnorm(residual.row(t), L.norm.data(), c.dModel, c.normEps, u.row(t));
    if (hooks_.inProjInput) hooks_.inProjInput(layer, u.row(t), c.dModel);
  }
  zxbcdt = Matrix(residual.rows, c.inProjOut());
  fp32::gemm(L.inProj, u, zxbcdt);
}

void Mamba2Fp32::convolve(int layer, const float* window, const float* xbcRaw, float* xbcOut) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  const int K = c.dConv, convDim = c.convDim();
  // Causal depthwise conv: tap k sees the input K-1-k steps back.
  for (int ch = 0; ch < convDim; ++ch) {
    const float* wch = L.convWeight.row(ch);
    float acc = L.convBias[size_t(ch)];
    for (int k = 0; k < K - 1; ++k) acc += wch[k] * window[size_t(k) * convDim + ch];
    acc += wch[K - 1] * xbcRaw[ch];
    xbcOut[ch] = silu(acc);
  }
}

void Mamba2Fp32::ssmHeads(int layer, int h0, int h1, const float* xbc, const float* dtRaw,
                          float* heads, float* y) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  const int N = c.dState, P = c.headdim;
  const float* x = xbc;
  const float* B = x + c.dInner;
  const float* C = B + N;
  for (int h = h0; h < h1; ++h) {
    const float dt = softplus(dtRaw[h] + L.dtBias[size_t(h)]);
    const float A = -std::exp(L.aLog[size_t(h)]);
    const float dA = std::exp(dt * A);
    for (int p = 0; p < P; ++p) {
      const int i = h * P + p;
      float* hs = heads + (size_t(h - h0) * P + size_t(p)) * N;
      const float dtx = dt * x[i];
      for (int n = 0; n < N; ++n) hs[n] = dA * hs[n] + dtx * B[n];
      y[i] = dot(hs, C, N) + L.d[size_t(h)] * x[i];
    }
  }
}

void Mamba2Fp32::finish(int layer, const float* z, float* y, float* residual) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  // Gate, then norm (Mamba2's norm_before_gate = False).
  for (int i = 0; i < c.dInner; ++i) y[i] *= silu(z[i]);
  fp32::rmsnorm(y, L.gatedNorm.data(), c.dInner, c.normEps, y);
  outProjInput(layer, y);
  std::vector<float> out(static_cast<size_t>(c.dModel));
  fp32::gemv(L.outProj, y, out.data());
  for (int i = 0; i < c.dModel; ++i) residual[i] += out[size_t(i)];
}

void Mamba2Fp32::finishBatch(int layer, const Matrix& zxbcdt, Matrix& y, Matrix& residual) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  for (int t = 0; t < y.rows; ++t) {
    float* yt = y.row(t);
    const float* z = zxbcdt.row(t);
    for (int i = 0; i < c.dInner; ++i) yt[i] *= silu(z[i]);
    fp32::rmsnorm(yt, L.gatedNorm.data(), c.dInner, c.normEps, yt);
    outProjInput(layer, yt);
  }
  Matrix out(y.rows, c.dModel);
  fp32::gemm(L.outProj, y, out);
  for (size_t i = 0; i < out.data.size(); ++i) residual.data[i] += out.data[i];
}

void Mamba2Fp32::layerDecode(int layer, float* residual, LayerState& st) const {
  const auto& c = config();
  const int K = c.dConv, convDim = c.convDim();
  std::vector<float> zxbcdt(static_cast<size_t>(c.inProjOut()));
  project(layer, residual, zxbcdt.data());
  const float* xbcRaw = zxbcdt.data() + c.dInner;
  std::vector<float> xbc(static_cast<size_t>(convDim));
  convolve(layer, st.conv.data(), xbcRaw, xbc.data());
  // Shift the window: drop the oldest input, append this token's.
  if (K > 2) {
    std::memmove(st.conv.data(), st.conv.data() + convDim, sizeof(float) * size_t(K - 2) * convDim);
  }
  std::memcpy(st.conv.data() + size_t(K - 2) * convDim, xbcRaw, sizeof(float) * size_t(convDim));
  std::vector<float> y(static_cast<size_t>(c.dInner));
  ssmHeads(layer, 0, c.nHeads, xbc.data(), xbcRaw + convDim, st.ssm.data(), y.data());
  finish(layer, zxbcdt.data(), y.data(), residual);
}

void Mamba2Fp32::layerPrefill(int layer, Matrix& residual, LayerState& st) const {
  const auto& c = config();
  const auto& L = w_.layers[size_t(layer)];
  const int T = residual.rows;
  const int N = c.dState, P = c.headdim, K = c.dConv, convDim = c.convDim();

  Matrix zxbcdt;
  projectBatch(layer, residual, zxbcdt);

  // Conv over the sequence, left-padded by the carried window.
  Matrix xbc(T, convDim);  // after conv + SiLU
  auto input = [&](int t, int ch) -> float {  // conv input at time t (t < 0: window)
    return t >= 0 ? zxbcdt.at(t, c.dInner + ch) : st.conv[size_t(K - 1 + t) * convDim + ch];
  };
  for (int t = 0; t < T; ++t) {
    for (int ch = 0; ch < convDim; ++ch) {
      const float* wch = L.convWeight.row(ch);
      float acc = L.convBias[size_t(ch)];
      for (int k = 0; k < K; ++k) acc += wch[k] * input(t - (K - 1) + k, ch);
      xbc.at(t, ch) = silu(acc);
    }
  }
  std::vector<float> newWindow(st.conv.size());
  for (int k = 0; k < K - 1; ++k) {
    for (int ch = 0; ch < convDim; ++ch) {
      newWindow[size_t(k) * convDim + ch] = input(T - (K - 1) + k, ch);
    }
  }
  st.conv.swap(newWindow);

  // dt and per-step log-decay a = dt * A for every token and head.
  Matrix dt(T, c.nHeads), logDecay(T, c.nHeads);
  for (int t = 0; t < T; ++t) {
    const float* raw = zxbcdt.row(t) + c.dInner + convDim;
    for (int h = 0; h < c.nHeads; ++h) {
      dt.at(t, h) = softplus(raw[h] + L.dtBias[size_t(h)]);
      logDecay.at(t, h) = dt.at(t, h) * -std::exp(L.aLog[size_t(h)]);
    }
  }

  Matrix y(T, c.dInner);
  const int chunk = c.chunkSize;
  std::vector<double> cs(static_cast<size_t>(chunk));
  std::vector<float> cb(size_t(chunk) * chunk);
  std::vector<float> coef(static_cast<size_t>(chunk));
  for (int t0 = 0; t0 < T; t0 += chunk) {
    const int len = std::min(chunk, T - t0);
    // C_t . B_s for every pair in the chunk (ngroups = 1: shared by all heads).
    for (int t = 0; t < len; ++t) {
      const float* Ct = xbc.row(t0 + t) + c.dInner + N;
      for (int s = 0; s <= t; ++s) {
        cb[size_t(t) * chunk + s] = dot(Ct, xbc.row(t0 + s) + c.dInner, N);
      }
    }
    for (int h = 0; h < c.nHeads; ++h) {
      double acc = 0;
      for (int t = 0; t < len; ++t) cs[size_t(t)] = (acc += logDecay.at(t0 + t, h));
      float* hs = st.ssm.data() + size_t(h) * P * N;  // [P][N]
      for (int t = 0; t < len; ++t) {
        const float* Ct = xbc.row(t0 + t) + c.dInner + N;
        const float carry = float(std::exp(cs[size_t(t)]));
        // Intra-chunk (the quadratic "attention" form) weights of each source s.
        for (int s = 0; s <= t; ++s) {
          coef[size_t(s)] = float(std::exp(cs[size_t(t)] - cs[size_t(s)])) * dt.at(t0 + s, h) *
                            cb[size_t(t) * chunk + s];
        }
        for (int p = 0; p < P; ++p) {
          const int i = h * P + p;
          float v = carry * dot(hs + size_t(p) * N, Ct, N);  // from the state entering the chunk
          for (int s = 0; s <= t; ++s) v += coef[size_t(s)] * xbc.at(t0 + s, i);
          y.at(t0 + t, i) = v + L.d[size_t(h)] * xbc.at(t0 + t, i);
        }
      }
      // State leaving the chunk.
      const double last = cs[size_t(len - 1)];
      const float keep = float(std::exp(last));
      for (int s = 0; s < len; ++s) {
        coef[size_t(s)] = float(std::exp(last - cs[size_t(s)])) * dt.at(t0 + s, h);
      }
      for (int p = 0; p < P; ++p) {
        float* hp = hs + size_t(p) * N;
        for (int n = 0; n < N; ++n) hp[n] *= keep;
        for (int s = 0; s < len; ++s) {
          const float wx = coef[size_t(s)] * xbc.at(t0 + s, h * P + p);
          const float* Bs = xbc.row(t0 + s) + c.dInner;
          for (int n = 0; n < N; ++n) hp[n] += wx * Bs[n];
        }
      }
    }
  }

  finishBatch(layer, zxbcdt, y, residual);
}

void Mamba2Fp32::decode(int token, Mamba2State& state, float* logits, float* finalHidden) const {
  const auto& c = config();
  std::vector<float> residual(size_t(c.dModel));
  embed(token, residual.data());
  for (int l = 0; l < c.nLayer; ++l) layerDecode(l, residual.data(), state.layers[size_t(l)]);
  head(residual.data(), logits, finalHidden);
}

void Mamba2Fp32::prefill(const std::vector<int>& tokens, Mamba2State& state, float* lastLogits,
                         Matrix* finalHidden) const {
  const auto& c = config();
  if (tokens.empty()) throw Error("prefill needs at least one token");
  const int T = int(tokens.size());
  Matrix residual(T, c.dModel);
  for (int t = 0; t < T; ++t) embed(tokens[size_t(t)], residual.row(t));
  for (int l = 0; l < c.nLayer; ++l) layerPrefill(l, residual, state.layers[size_t(l)]);
  if (finalHidden) {
    *finalHidden = Matrix(T, c.dModel);
    for (int t = 0; t < T; ++t) {
      fp32::rmsnorm(residual.row(t), w_.normF.data(), c.dModel, c.normEps, finalHidden->row(t));
    }
  }
  head(residual.row(T - 1), lastLogits);
}

std::vector<int> Mamba2Fp32::generateGreedy(const std::vector<int>& prompt, int count,
                                            Mamba2State& state) const {
  return greedyContinuation(*this, prompt, count, state);
}

}  // namespace specmamba
