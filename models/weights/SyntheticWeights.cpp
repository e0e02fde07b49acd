#include "models/weights/SyntheticWeights.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "models/common/Rng.h"

namespace specmamba {

namespace {

// Indices of ceil(fraction * n) (at least one) distinct channels.
std::vector<int> pickChannels(Rng& rng, int n, double fraction) {
  const int count = std::max(1, int(std::ceil(fraction * n)));
  std::vector<int> all(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) all[size_t(i)] = i;
  for (int i = 0; i < count; ++i) {  // partial Fisher-Yates
    std::swap(all[size_t(i)], all[size_t(i) + rng.below(uint64_t(n - i))]);
  }
  all.resize(size_t(count));
  std::sort(all.begin(), all.end());
  return all;
}

void fillStudentT(Rng& rng, std::vector<float>& v, double std) {
  for (auto& x : v) x = float(std * rng.studentT(4));
}

void fillAround(Rng& rng, std::vector<float>& v, double mean, double std) {
  for (auto& x : v) x = float(mean + std * rng.normal());
}

}  // namespace

Mamba2Weights makeSyntheticWeights(const ModelConfig& c, const SyntheticOptions& o) {
  Mamba2Weights w = allocateWeights(c);
  uint64_t salt = 0;
  auto stream = [&]() { return Rng(Rng::mix(o.seed, ++salt)); };

  Rng pick = stream();
  const std::vector<int> residualOutliers = pickChannels(pick, c.dModel, o.residualOutlierFraction);

  {
    Rng r = stream();
    fillStudentT(r, w.embedding.data, 0.02 * std::sqrt(768.0 / c.dModel) * 3.0);
    for (int t = 0; t < c.vocabSize; ++t) {
      for (int ch : residualOutliers) w.embedding.at(t, ch) *= float(o.residualOutlierGain);
    }
  }
  for (int i = 0; i < c.nLayer; ++i) {
    auto& L = w.layers[size_t(i)];
    Rng r = stream();
    fillAround(r, L.norm, 1.0, 0.1);
    // Trained pre-norm weights damp the massive channels.
    for (int ch : residualOutliers) L.norm[size_t(ch)] = float(0.2 + 0.1 * r.uniform());

    fillStudentT(r, L.inProj.data, 1.0 / std::sqrt(double(c.dModel)));
    const std::vector<int> gateOutliers = pickChannels(r, c.dInner, o.gateOutlierFraction);
    for (int ch : gateOutliers) {
      float* zRow = L.inProj.row(ch);
      float* xRow = L.inProj.row(c.dInner + ch);
      for (int k = 0; k < c.dModel; ++k) {
        zRow[k] *= float(o.gateOutlierGain);
        xRow[k] *= float(o.gateOutlierGain);
      }
    }
    // conv1d: kaiming-uniform bound 1/sqrt(fan_in = d_conv), as PyTorch's default init.
    const double bound = 1.0 / std::sqrt(double(c.dConv));
    for (auto& x : L.convWeight.data) x = float(r.uniform(-bound, bound));
    for (auto& x : L.convBias) x = float(r.uniform(-bound, bound));
    // Mamba2 init: dt log-uniform in [1e-3, 1e-1], dt_bias = softplus^-1(dt);
    // A uniform in [1, 16], A_log = log(A); D = 1 (trained values spread around 1).
    for (int h = 0; h < c.nHeads; ++h) {
      const double dt = std::max(1e-4, std::exp(r.uniform(std::log(1e-3), std::log(1e-1))));
      L.dtBias[size_t(h)] = float(dt + std::log(-std::expm1(-dt)));
      L.aLog[size_t(h)] = float(std::log(r.uniform(1.0, 16.0)));
      L.d[size_t(h)] = float(1.0 + 0.25 * r.normal());
    }
    fillAround(r, L.gatedNorm, 1.0, 0.15);
    // out_proj rescaled by 1/sqrt(n_layer) (mamba_ssm's _init_weights prenorm residual rule).
    fillStudentT(r, L.outProj.data, 1.0 / std::sqrt(double(c.dInner)) / std::sqrt(double(c.nLayer)));
  }
  {
    Rng r = stream();
    fillAround(r, w.normF, 1.0, 0.1);
    // ... and so does the final norm, or the tied LM head would rank tokens by
    // their value in the massive channels alone.
    for (int ch : residualOutliers) w.normF[size_t(ch)] = float(0.02 + 0.02 * r.uniform());
  }
  return w;
}

}  // namespace specmamba
