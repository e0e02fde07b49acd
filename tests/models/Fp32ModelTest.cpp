// FP32 golden model: prefill (chunked scan) == recurrent decode, state
// snapshot/restore, determinism of the synthetic weights.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "models/config/ModelConfig.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/weights/SyntheticWeights.h"
#include "tests/common/ModelTestSupport.h"

using namespace specmamba;
using specmamba::test::promptOf;
using specmamba::test::relError;

TEST_CASE("prefill and recurrent decode agree over 64 tokens", "[fp32]") {
  for (const char* name : {"tiny-64", "tiny-256"}) {
    CAPTURE(name);
    const ModelConfig c = loadModelConfig(name);
    SyntheticOptions so;
    so.seed = 7;
    const Mamba2Weights w = makeSyntheticWeights(c, so);
    const Mamba2Fp32 model(w);
    const std::vector<int> tokens = promptOf(64, c.vocabSize, 11);

    Mamba2State ps = model.initialState();
    std::vector<float> prefillLogits(size_t(c.vocabSize));
    Matrix prefillHidden;
    model.prefill(tokens, ps, prefillLogits.data(), &prefillHidden);

    Mamba2State ds = model.initialState();
    std::vector<float> logits(size_t(c.vocabSize)), hidden(size_t(c.dModel));
    double worstHidden = 0;
    for (size_t t = 0; t < tokens.size(); ++t) {
      model.decode(tokens[t], ds, logits.data(), hidden.data());
      std::vector<float> ref(prefillHidden.row(int(t)), prefillHidden.row(int(t)) + c.dModel);
      worstHidden = std::max(worstHidden, relError(hidden, ref));
    }
    CHECK(worstHidden <= 1e-4);
    CHECK(relError(logits, prefillLogits) <= 1e-4);
    for (size_t l = 0; l < ds.layers.size(); ++l) {
      CHECK(relError(ds.layers[l].ssm, ps.layers[l].ssm) <= 1e-4);
      CHECK(relError(ds.layers[l].conv, ps.layers[l].conv) <= 1e-4);
    }
  }
}

TEST_CASE("prefill split into pieces equals one prefill (state carried across calls)", "[fp32]") {
  const ModelConfig c = loadModelConfig("tiny-64");
  const Mamba2Weights w = makeSyntheticWeights(c);
  const Mamba2Fp32 model(w);
  const std::vector<int> tokens = promptOf(40, c.vocabSize, 3);
  Mamba2State whole = model.initialState(), parts = model.initialState();
  std::vector<float> a(size_t(c.vocabSize)), b(size_t(c.vocabSize));
  model.prefill(tokens, whole, a.data());
  // 1 + 2 + 37 tokens: pieces shorter than the conv window and than a chunk.
  model.prefill({tokens.begin(), tokens.begin() + 1}, parts, b.data());
  model.prefill({tokens.begin() + 1, tokens.begin() + 3}, parts, b.data());
  model.prefill({tokens.begin() + 3, tokens.end()}, parts, b.data());
  CHECK(relError(b, a) <= 1e-4);
}

TEST_CASE("snapshot and restore of the decode state reproduce the continuation", "[fp32]") {
  const ModelConfig c = loadModelConfig("tiny-256");
  const Mamba2Weights w = makeSyntheticWeights(c);
  const Mamba2Fp32 model(w);
  Mamba2State state = model.initialState();
  std::vector<float> logits(size_t(c.vocabSize));
  model.prefill(promptOf(10, c.vocabSize, 5), state, logits.data());

  const Mamba2State snapshot = state;  // copy = snapshot
  auto continueFor = [&](Mamba2State& s, std::vector<float> l) {
    std::vector<int> out;
    for (int i = 0; i < 12; ++i) {
      out.push_back(argmax(l.data(), c.vocabSize));
      model.decode(out.back(), s, l.data());
    }
    return out;
  };
  const std::vector<int> first = continueFor(state, logits);
  CHECK_FALSE(state == snapshot);  // decoding really moved the state
  state = snapshot;                // roll back
  CHECK(state == snapshot);
  const std::vector<int> second = continueFor(state, logits);
  CHECK(first == second);
}

TEST_CASE("synthetic weights are deterministic per seed and differ across seeds", "[fp32]") {
  const ModelConfig c = loadModelConfig("tiny-64");
  SyntheticOptions a, b;
  a.seed = 3;
  b.seed = 4;
  const Mamba2Weights w1 = makeSyntheticWeights(c, a), w2 = makeSyntheticWeights(c, a),
                      w3 = makeSyntheticWeights(c, b);
  CHECK(w1.layers[1].inProj.data == w2.layers[1].inProj.data);
  CHECK(w1.embedding.data == w2.embedding.data);
  CHECK(w1.layers[1].inProj.data != w3.layers[1].inProj.data);
}

TEST_CASE("synthetic weights have heavy tails and parameters in Mamba2 ranges", "[fp32]") {
  const ModelConfig c = loadModelConfig("tiny-256");
  const Mamba2Weights w = makeSyntheticWeights(c);
  // Excess kurtosis of in_proj weights: 0 for a Gaussian, 6 for Student-t(5);
  // t(4) has unbounded kurtosis, so the sample value is large.
  const auto& v = w.layers[0].outProj.data;
  double m2 = 0, m4 = 0;
  for (float x : v) {
    m2 += double(x) * x;
    m4 += double(x) * x * x * x;
  }
  m2 /= double(v.size());
  m4 /= double(v.size());
  CHECK(m4 / (m2 * m2) - 3.0 > 1.0);
  for (const auto& L : w.layers) {
    for (float a : L.aLog) {
      CHECK(a >= 0.0f);
      CHECK(a <= std::log(16.0f) + 1e-6f);
    }
    for (float b : L.dtBias) {
      const double dt = std::log1p(std::exp(double(b)));  // softplus
      CHECK(dt >= 0.9e-4);
      CHECK(dt <= 0.1 + 1e-6);
    }
  }
}

TEST_CASE("gated-channel outliers of the out_proj input move from token to token", "[fp32]") {
  // The reason online rotation exists (SPEC §2): outliers at varying positions.
  const ModelConfig c = loadModelConfig("tiny-256");
  const Mamba2Weights w = makeSyntheticWeights(c);
  const Mamba2Fp32 model(w);
  // Reconstruct the gated, pre-norm out_proj input of layer 0 for several tokens.
  std::vector<std::vector<int>> topChannels;
  for (int token : {5, 77, 300, 901, 42, 640}) {
    std::vector<float> residual(size_t(c.dModel)), u(residual.size());
    model.embed(token, residual.data());
    const auto& L = w.layers[0];
    std::vector<float> norm(residual.size());
    double ss = 0;
    for (float x : residual) ss += double(x) * x;
    for (size_t i = 0; i < residual.size(); ++i) {
      norm[i] = float(residual[i] / std::sqrt(ss / double(residual.size()) + c.normEps) * L.norm[i]);
    }
    std::vector<float> z(size_t(c.dInner));
    for (int r = 0; r < c.dInner; ++r) {
      double acc = 0;
      for (int k = 0; k < c.dModel; ++k) acc += double(L.inProj.at(r, k)) * norm[size_t(k)];
      z[size_t(r)] = float(acc / (1.0 + std::exp(-acc)));
    }
    std::vector<int> idx(z.size());
    for (size_t i = 0; i < idx.size(); ++i) idx[i] = int(i);
    std::partial_sort(idx.begin(), idx.begin() + 4, idx.end(),
                      [&](int a, int b) { return std::fabs(z[size_t(a)]) > std::fabs(z[size_t(b)]); });
    topChannels.emplace_back(idx.begin(), idx.begin() + 4);
    std::sort(topChannels.back().begin(), topChannels.back().end());
  }
  int distinct = 0;
  for (size_t i = 1; i < topChannels.size(); ++i) distinct += topChannels[i] != topChannels[0];
  CHECK(distinct >= 3);
}
