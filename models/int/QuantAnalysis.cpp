#include "models/int/QuantAnalysis.h"

#include <algorithm>
#include <cmath>

#include "models/common/Error.h"
#include "models/fp32/Mamba2Fp32.h"
#include "models/int/Mamba2Int.h"
#include "models/int/OfflineQuantizer.h"
#include "models/rotation/Hadamard.h"
#include "models/rotation/RotationFolding.h"

namespace specmamba {

const char* layerVariantName(LayerVariant v) {
  switch (v) {
    case LayerVariant::Rtn:
      return "rtn";
    case LayerVariant::Pot:
      return "pot";
    case LayerVariant::PotRelease:
      return "pot_release";
    case LayerVariant::PotRot:
      return "pot_rot";
  }
  return "?";
}

std::vector<int> reportTokens(int n, int vocab, uint64_t seed) {
  std::vector<int> p;
  uint64_t x = seed;
  for (int i = 0; i < n; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    p.push_back(int((x >> 33) % uint64_t(vocab)));
  }
  return p;
}

namespace {

constexpr Precision kPrecisions[2] = {Precision::W4A4, Precision::W8A8};
constexpr RotationMode kRotations[3] = {RotationMode::None, RotationMode::OfflineOnly,
                                        RotationMode::Online};

double percent(double errSq, double refSq) {
  return refSq > 0 ? 100.0 * std::sqrt(errSq / refSq) : 0.0;
}

// Squared error of per-token symmetric RTN with an FP scale.
double rtnError(const float* x, int n, int bits) {
  double m = 0;
  for (int i = 0; i < n; ++i) m = std::max(m, double(std::fabs(x[i])));
  if (m == 0) return 0;
  const double qmax = (1 << (bits - 1)) - 1, scale = m / qmax;
  double e = 0;
  for (int i = 0; i < n; ++i) {
    const double q = std::clamp(std::round(x[i] / scale), -qmax - 1, qmax) * scale;
    e += (q - x[i]) * (q - x[i]);
  }
  return e;
}

// Squared error of the SPEC group-8 PoT quantizer on x in Q10.
double potError(const float* x, int n, int bits) {
  std::vector<int32_t> X(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i)
    X[size_t(i)] = intops::fit32(std::llround(std::ldexp(double(x[i]), 10)), "activation");
  const intops::PotVector q = intops::quantizePot(X, bits);
  double e = 0;
  for (int i = 0; i < n; ++i) {
    const double d = std::ldexp(double(q.value(i)), -10) - x[i];
    e += d * d;
  }
  return e;
}

void fakeQuantRtn(float* x, int n, int bits) {
  double m = 0;
  for (int i = 0; i < n; ++i) m = std::max(m, double(std::fabs(x[i])));
  if (m == 0) return;
  const double qmax = (1 << (bits - 1)) - 1, scale = m / qmax;
  for (int i = 0; i < n; ++i)
    x[i] = float(std::clamp(std::round(x[i] / scale), -qmax - 1, qmax) * scale);
}

// RTN weights: per output row and group of 128 inputs, symmetric FP scale.
void fakeQuantWeights(Matrix& w, int bits) {
  const int group = std::min(128, w.cols);
  for (int r = 0; r < w.rows; ++r) {
    for (int g = 0; g < w.cols; g += group)
      fakeQuantRtn(w.row(r) + g, std::min(group, w.cols - g), bits);
  }
}

// Teacher-forced per-layer mixer-output error: `step` gets the reference's
// residual entering layer l and returns the variant's residual delta.
using LayerStep =
    std::function<void(int layer, const std::vector<float>& residualIn, std::vector<float>& delta)>;

std::vector<double> teacherForcedErrors(const Mamba2Fp32& ref, const std::vector<int>& tokens,
                                        const LayerStep& step) {
  const auto& c = ref.config();
  Mamba2State st = ref.initialState();
  std::vector<double> num(size_t(c.nLayer)), den(size_t(c.nLayer));
  std::vector<float> r(size_t(c.dModel)), r0, delta(size_t(c.dModel));
  for (int tok : tokens) {
    ref.embed(tok, r.data());
    for (int l = 0; l < c.nLayer; ++l) {
      r0 = r;
      ref.layerDecode(l, r.data(), st.layers[size_t(l)]);
      step(l, r0, delta);
      for (int i = 0; i < c.dModel; ++i) {
        const double d = double(r[size_t(i)]) - r0[size_t(i)];
        num[size_t(l)] += (delta[size_t(i)] - d) * (delta[size_t(i)] - d);
        den[size_t(l)] += d * d;
      }
    }
  }
  std::vector<double> e;
  for (int l = 0; l < c.nLayer; ++l) e.push_back(percent(num[size_t(l)], den[size_t(l)]));
  return e;
}

}  // namespace

std::vector<double> intLayerOutputErrors(const Mamba2Weights& fp32, const IntModelWeights& q,
                                         const std::vector<int>& tokens) {
  const Mamba2Weights basis = foldRotations(fp32, q.rotation);
  const Mamba2Fp32 ref(basis);
  const Mamba2Int im(q);
  IntState st = im.initialState();
  std::vector<int32_t> ri(size_t(q.config.dModel));
  return teacherForcedErrors(
      ref, tokens, [&](int l, const std::vector<float>& in, std::vector<float>& delta) {
        for (size_t i = 0; i < in.size(); ++i)
          ri[i] = intops::fit32(std::llround(std::ldexp(double(in[i]), 10)), "residual");
        const std::vector<int32_t> before = ri;
        im.layerDecode(l, ri.data(), st.layers[size_t(l)]);
        for (size_t i = 0; i < in.size(); ++i)
          delta[i] = float(std::ldexp(double(ri[i]) - before[i], -10));
      });
}

namespace {

std::vector<double> rtnLayerOutputErrors(const Mamba2Weights& fp32, int bits,
                                         const std::vector<int>& tokens) {
  Mamba2Weights fq = fp32;
  for (auto& L : fq.layers) {
    fakeQuantWeights(L.inProj, bits);
    fakeQuantWeights(L.outProj, bits);
  }
  Mamba2Fp32 model(fq);
  auto quant = [bits](int, float* v, int n) { fakeQuantRtn(v, n, bits); };
  model.setHooks({quant, quant});
  Mamba2State st = model.initialState();
  const Mamba2Fp32 ref(fp32);
  std::vector<float> r;
  return teacherForcedErrors(ref, tokens,
                             [&](int l, const std::vector<float>& in, std::vector<float>& delta) {
                               r = in;
                               model.layerDecode(l, r.data(), st.layers[size_t(l)]);
                               for (size_t i = 0; i < in.size(); ++i) delta[i] = r[i] - in[i];
                             });
}

}  // namespace

std::vector<int> fp32TopOne(const Mamba2Weights& fp32, const std::vector<int>& tokens) {
  const Mamba2Fp32 ref(fp32);
  Mamba2State st = ref.initialState();
  std::vector<float> logits(size_t(fp32.config.vocabSize));
  std::vector<int> out;
  for (int t : tokens) {
    ref.decode(t, st, logits.data());
    out.push_back(argmax(logits.data(), int(logits.size())));
  }
  return out;
}

double topOneAgreement(const IntModelWeights& q, const std::vector<int>& tokens,
                       const std::vector<int>& reference) {
  const Mamba2Int im(q);
  IntState st = im.initialState();
  std::vector<float> logits(size_t(q.config.vocabSize));
  int agree = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    im.decode(tokens[i], st, logits.data());
    if (argmax(logits.data(), int(logits.size())) == reference[i]) ++agree;
  }
  return tokens.empty() ? 0.0 : 100.0 * agree / double(tokens.size());
}

QuantReport runQuantReport(const Mamba2Weights& fp32, const QuantReportOptions& o,
                           const std::function<void(const char*)>& progress) {
  const ModelConfig& c = fp32.config;
  auto say = [&](const char* what) {
    if (progress) progress(what);
  };
  QuantReport rep;
  rep.layers.resize(size_t(c.nLayer));
  for (int l = 0; l < c.nLayer; ++l) rep.layers[size_t(l)].layer = l;
  const std::vector<int> tokens = reportTokens(o.errorTokens, c.vocabSize, o.tokenSeed);

  // 1. out_proj input activations of the FP32 model.
  say("out_proj input activations");
  {
    const HadamardRotation R2(c.dInner);
    struct Acc {
      double err[2][4] = {};
      double energy = 0;
    };
    std::vector<Acc> acc(size_t(c.nLayer));
    Mamba2Fp32 model(fp32);
    std::vector<float> xr;
    model.setHooks({nullptr, [&](int l, float* x, int n) {
                      Acc& a = acc[size_t(l)];
                      xr.assign(x, x + n);
                      R2.apply(xr.data());
                      for (int b = 0; b < 2; ++b) {
                        const int bits = b == 0 ? 4 : 8;
                        a.err[b][0] += rtnError(x, n, bits);
                        a.err[b][1] += rtnError(xr.data(), n, bits);
                        a.err[b][2] += potError(x, n, bits);
                        a.err[b][3] += potError(xr.data(), n, bits);
                      }
                      for (int i = 0; i < n; ++i) a.energy += double(x[i]) * x[i];
                    }});
    Mamba2State st = model.initialState();
    std::vector<float> logits(size_t(c.vocabSize));
    for (int t : tokens) model.decode(t, st, logits.data());
    for (int l = 0; l < c.nLayer; ++l) {
      const Acc& a = acc[size_t(l)];
      for (int b = 0; b < 2; ++b) {
        ActivationErrors& e = rep.layers[size_t(l)].outProjInput[b];
        e.rtn = percent(a.err[b][0], a.energy);
        e.rtnRot = percent(a.err[b][1], a.energy);
        e.pot = percent(a.err[b][2], a.energy);
        e.potRot = percent(a.err[b][3], a.energy);
      }
    }
  }

  // 2. Layer outputs and agreement per precision and rotation.
  const std::vector<int> stream = reportTokens(o.agreementTokens, c.vocabSize, o.tokenSeed + 1);
  say("FP32 top-1 reference");
  const std::vector<int> reference = fp32TopOne(fp32, stream);
  for (int p = 0; p < 2; ++p) {
    say(p == 0 ? "W4A4 RTN layers" : "W8A8 RTN layers");
    const std::vector<double> rtn =
        rtnLayerOutputErrors(fp32, precisionBits(kPrecisions[p]), tokens);
    for (int l = 0; l < c.nLayer; ++l) rep.layers[size_t(l)].output[p][0] = rtn[size_t(l)];
    for (int r = 0; r < 3; ++r) {
      say(p == 0 ? "W4A4 integer model" : "W8A8 integer model");
      const IntModelWeights q = quantizeModel(fp32, {kPrecisions[p], kRotations[r]});
      const std::vector<double> e = intLayerOutputErrors(fp32, q, tokens);
      for (int l = 0; l < c.nLayer; ++l) rep.layers[size_t(l)].output[p][1 + r] = e[size_t(l)];
      if (!stream.empty()) rep.agreement[p][r] = topOneAgreement(q, stream, reference);
    }
  }

  // Means over layers.
  LayerQuantReport& m = rep.mean;
  m.layer = -1;
  const double inv = 1.0 / c.nLayer;
  for (const auto& L : rep.layers) {
    for (int b = 0; b < 2; ++b) {
      m.outProjInput[b].rtn += L.outProjInput[b].rtn * inv;
      m.outProjInput[b].rtnRot += L.outProjInput[b].rtnRot * inv;
      m.outProjInput[b].pot += L.outProjInput[b].pot * inv;
      m.outProjInput[b].potRot += L.outProjInput[b].potRot * inv;
      for (int v = 0; v < 4; ++v) m.output[b][v] += L.output[b][v] * inv;
    }
  }
  return rep;
}

}  // namespace specmamba
