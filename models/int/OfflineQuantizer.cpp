#include "models/int/OfflineQuantizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/common/Error.h"
#include "models/int/IntTables.h"

namespace specmamba {

using namespace intops;

Precision parsePrecision(const std::string& name) {
  if (name == "w4a4") return Precision::W4A4;
  if (name == "w8a8") return Precision::W8A8;
  throw Error(fmt::format("unknown precision \"{}\" (valid: w4a4, w8a8)", name));
}

const char* precisionName(Precision p) { return p == Precision::W4A4 ? "w4a4" : "w8a8"; }

double htuWeightGain(int dInner) {
  return std::ldexp(1.0, hadamardShift(dInner)) / std::sqrt(double(dInner));
}

namespace {

int32_t toFixed(double v, int frac, const char* what) {
  return fit32(std::llround(std::ldexp(v, frac)), what);
}

// Integers -> int8 PoT groups (the activation quantizer of SPEC §3).
PotVector potOf(const std::vector<int32_t>& v) { return quantizePot(v, 8); }

std::vector<int16_t> normWeights(const std::vector<float>& w, int bits) {
  std::vector<int16_t> out(w.size());
  const long hi = (1L << (bits - 1)) - 1, lo = -(1L << (bits - 1));
  for (size_t i = 0; i < w.size(); ++i) {
    out[i] = int16_t(std::clamp(std::lround(std::ldexp(double(w[i]), kNormWeightFrac)), lo, hi));
  }
  return out;
}

IntConv quantizeConv(const Matrix& w, const std::vector<float>& bias) {
  IntConv c;
  c.channels = w.rows;
  c.kernel = w.cols;
  c.w.resize(size_t(c.kernel) * c.channels);
  c.ws.resize(size_t(c.kernel) * c.channels / kGroup);
  std::vector<int32_t> tap(static_cast<size_t>(c.channels));
  for (int k = 0; k < c.kernel; ++k) {
    for (int ch = 0; ch < c.channels; ++ch)
      tap[size_t(ch)] = toFixed(w.at(ch, k), kConvWeightFrac, "conv weight");
    quantizePot(tap.data(), c.channels, 8, c.w.data() + size_t(k) * c.channels,
                c.ws.data() + size_t(k) * c.channels / kGroup);
  }
  std::vector<int32_t> b(bias.size());
  for (size_t i = 0; i < bias.size(); ++i) b[i] = toFixed(bias[i], kConvBiasFrac, "conv bias");
  const PotVector bq = potOf(b);
  c.b = bq.q;
  c.bs = bq.s;
  return c;
}

}  // namespace

IntModelWeights quantizeModel(const Mamba2Weights& fp32, const QuantOptions& o) {
  const ModelConfig& c = fp32.config;
  if (c.nHeads % kGroup != 0 || c.dModel % kGroup != 0 || c.dState % kGroup != 0 ||
      c.headdim % kGroup != 0) {
    throw Error(
        fmt::format("model {}: the integer datapath needs heads, d_model, d_state and headdim "
                    "in multiples of 8",
                    c.name));
  }
  if (c.ngroups != 1) throw Error("the integer datapath supports ngroups = 1 only");
  const Mamba2Weights w = foldRotations(fp32, o.rotation);
  const int bits = precisionBits(o.precision);
  const int extra = bits - 4;  // W8A8: weights carry 4 more bits [ours]

  IntModelWeights q;
  q.config = c;
  q.precision = o.precision;
  q.rotation = o.rotation;
  q.silu = siluLut();
  q.softplus = softplusLut();
  q.exp = expLut();
  q.embedding = w.embedding;
  q.normF = w.normF;
  q.lmHead = w.lmHeadMatrix();
  const double outGain = o.rotation == RotationMode::Online ? htuWeightGain(c.dInner) : 1.0;

  for (const auto& L : w.layers) {
    IntLayerWeights I;
    const int kIn = weightHeadroom(L.inProj, bits, 10 + extra);
    I.inProjInFrac = kResidualFrac + kIn;
    I.norm = makeRmsLut(c.dModel, c.normEps, kResidualFrac, I.inProjInFrac);
    I.normW = normWeights(L.norm, 11);
    I.inProj = quantizeLinear(L.inProj, bits, 10 + extra, 10 + extra - kIn, 34 + extra);
    I.conv = quantizeConv(L.convWeight, L.convBias);
    for (int h = 0; h < c.nHeads; ++h)
      I.dtBias.push_back(toFixed(L.dtBias[size_t(h)], 10, "dt_bias"));
    // A: int16 with a 3-bit exponent per 8 heads (the smallest that fits).
    I.aQ.resize(size_t(c.nHeads));
    for (int g = 0; g < c.nHeads / kGroup; ++g) {
      int s = 0;
      auto fixedA = [&](int h) {
        return -std::exp(double(L.aLog[size_t(h)])) * std::ldexp(1.0, kAFrac);
      };
      for (;; ++s) {
        bool ok = true;
        for (int h = g * kGroup; h < (g + 1) * kGroup; ++h)
          ok = ok && std::fabs(std::round(fixedA(h) / (1 << s))) <= 32767;
        if (ok) break;
        if (s == 7) throw Error("A does not fit int16 with a 3-bit exponent");
      }
      I.aS.push_back(uint8_t(s));
      for (int h = g * kGroup; h < (g + 1) * kGroup; ++h)
        I.aQ[size_t(h)] = int16_t(std::lround(fixedA(h) / (1 << s)));
    }
    std::vector<int32_t> d(size_t(c.nHeads));
    for (int h = 0; h < c.nHeads; ++h) d[size_t(h)] = toFixed(L.d[size_t(h)], kDFrac, "D");
    const PotVector dq = potOf(d);
    I.dQ = dq.q;
    I.dS = dq.s;
    Matrix out = L.outProj;
    if (outGain != 1.0) {
      for (auto& v : out.data) v = float(v * outGain);
    }
    const int kOut = weightHeadroom(out, bits, 12 + extra);
    I.outProjInFrac = kResidualFrac + kOut;
    I.gatedNorm = makeRmsLut(c.dInner, c.normEps, kYFrac, I.outProjInFrac);
    I.gatedNormW = normWeights(L.gatedNorm, 13);
    I.outProj = quantizeLinear(out, bits, 12 + extra, 12 + extra - kOut, 34 + extra);
    q.layers.push_back(std::move(I));
  }
  return q;
}

}  // namespace specmamba
