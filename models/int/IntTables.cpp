#include "models/int/IntTables.h"

#include <algorithm>
#include <cmath>

#include "models/common/Error.h"

namespace specmamba::intops {

Lut makeLut(const std::function<double(double)>& f, int32_t alpha, int k, int ks, int inFrac, int outFrac) {
  Lut L;
  L.alpha = alpha;
  L.k = k;
  L.ks = ks;
  L.inFrac = inFrac;
  L.outFrac = outFrac;
  L.t.assign(kLutEntries, 0);
  L.ts.assign(kLutShiftEntries, 0);
  const int perSegment = 1 << (ks - k);
  std::vector<double> v(kLutEntries);
  for (int i = 0; i < kLutEntries; ++i) {
    const double x = (double(alpha) + (i + 0.5) * double(1 << k)) / double(1 << inFrac);
    v[size_t(i)] = f(x) * std::ldexp(1.0, outFrac);
  }
  for (int j = 0; j < kLutShiftEntries; ++j) {
    double m = 0;
    for (int i = j * perSegment; i < std::min(kLutEntries, (j + 1) * perSegment); ++i) m = std::max(m, std::fabs(v[size_t(i)]));
    int s = 0;
    while (std::lround(m / std::ldexp(1.0, s)) > 32767) ++s;
    if (s > 15) throw Error("LUT value needs a shift above 15");
    L.ts[size_t(j)] = uint8_t(s);
    for (int i = j * perSegment; i < std::min(kLutEntries, (j + 1) * perSegment); ++i) {
      L.t[size_t(i)] = int16_t(std::lround(v[size_t(i)] / std::ldexp(1.0, s)));
    }
  }
  return L;
}

namespace {
double siluF(double x) { return x / (1.0 + std::exp(-x)); }
double softplusF(double x) { return x > 30 ? x : std::log1p(std::exp(x)); }
}  // namespace

Lut siluLut() { return makeLut(siluF, -25600, 5, 12, 10, kSiluOutFrac); }
Lut softplusLut() { return makeLut(softplusF, -25600, 4, 11, 10, kSoftplusOutFrac); }
Lut expLut() {
  return makeLut([](double x) { return std::exp(x); }, -20480, 3, 10, 10, kExpOutFrac);
}

LutError measureLutError(const Lut& L, const std::function<double(double)>& f, double lo, double hi) {
  LutError e;
  e.lo = lo;
  e.hi = hi;
  const double inScale = std::ldexp(1.0, L.inFrac), outScale = std::ldexp(1.0, -L.outFrac);
  double ss = 0;
  int64_t count = 0;
  for (int64_t xi = int64_t(std::ceil(lo * inScale)); xi < int64_t(hi * inScale); ++xi) {
    const double d = std::fabs(lut(L, int32_t(xi)) * outScale - f(double(xi) / inScale));
    e.maxAbs = std::max(e.maxAbs, d);
    ss += d * d;
    ++count;
  }
  e.rms = count ? std::sqrt(ss / double(count)) : 0;
  return e;
}

namespace {

double rmsExact(double S, int n, double eps, int inFrac, int outFrac) {
  return std::ldexp(1.0, 12 + outFrac - inFrac) / std::sqrt(S / (double(n) * std::ldexp(1.0, 2 * inFrac)) + eps);
}

}  // namespace

RmsLut makeRmsLut(int n, double eps, int inFrac, int outFrac) {
  RmsLut L;
  L.inFrac = inFrac;
  L.table.assign(size_t(kRmsSubTables) * kRmsEntries, 0);
  // alpha_1 at RMS = 2^-4 real units: S = n * 4^inFrac * 2^-8.
  const int e1 = int(std::lround(std::log2(double(n)) + 2.0 * inFrac - 8.0));
  if (e1 < 9) throw Error("RMSNorm table: vector too short for the sub-table layout");
  L.alpha[0] = 0;
  L.log2denom[0] = uint8_t(e1 - 9);
  for (int i = 1; i < kRmsSubTables; ++i) {
    L.alpha[i] = int64_t(1) << (e1 + 3 * (i - 1));
    L.log2denom[i] = uint8_t(e1 + 3 * (i - 1) - 6);
  }
  for (int i = 0; i < kRmsSubTables; ++i) {
    const double step = std::ldexp(1.0, L.log2denom[i]);
    double rmax = 0;
    std::vector<double> r(kRmsEntries);
    for (int j = 0; j < kRmsEntries; ++j) {
      r[size_t(j)] = rmsExact(double(L.alpha[i]) + (j + 0.5) * step, n, eps, inFrac, outFrac);
      rmax = std::max(rmax, r[size_t(j)]);
    }
    int off = 0;
    while (std::lround(rmax / std::ldexp(1.0, off)) > 65535) ++off;
    L.offset[i] = uint8_t(off);
    for (int j = 0; j < kRmsEntries; ++j) {
      L.table[size_t(i) * kRmsEntries + size_t(j)] = uint16_t(std::lround(r[size_t(j)] / std::ldexp(1.0, off)));
    }
  }
  return L;
}

double measureRmsLutError(const RmsLut& L, int n, double eps, double lo, double hi, int outFrac) {
  double worst = 0;
  constexpr int kSamples = 20000;
  for (int i = 0; i <= kSamples; ++i) {
    const double rms = lo * std::pow(hi / lo, double(i) / kSamples);
    const double S = rms * rms * n * std::ldexp(1.0, 2 * L.inFrac);
    const double exact = rmsExact(std::floor(S), n, eps, L.inFrac, outFrac);
    const double got = double(rmsFactor(L, int64_t(S)));
    worst = std::max(worst, std::fabs(got / exact - 1.0));
  }
  return worst;
}

// --- two-term PoT weights ---------------------------------------------------------

namespace {

struct ScalePair {
  int c, s1, s2;
};

std::vector<ScalePair> scalePairs() {
  std::vector<ScalePair> out;
  for (int a = 0; a < 8; ++a) {
    for (int b = a; b < 8; ++b) out.push_back({(1 << a) + (1 << b), a, b});
  }
  std::sort(out.begin(), out.end(), [](const ScalePair& x, const ScalePair& y) { return x.c < y.c; });
  return out;
}

}  // namespace

IntLinear quantizeLinear(const Matrix& w, int bits, int outShift, int accBits) {
  IntLinear L;
  L.rows = w.rows;
  L.cols = w.cols;
  L.bits = bits;
  L.group = std::min(128, w.cols);
  L.outShift = outShift;
  L.accBits = accBits;
  if (w.cols % L.group != 0 || L.group % kGroup != 0) {
    throw Error("linear layer inputs must be a multiple of its weight group");
  }
  L.w.assign(size_t(w.rows) * w.cols, 0);
  L.s1.assign(size_t(w.rows) * L.groupsPerRow(), 0);
  L.s2.assign(L.s1.size(), 0);
  static const std::vector<ScalePair> pairs = scalePairs();
  const int qmax = (1 << (bits - 1)) - 1, qmin = -(1 << (bits - 1));
  const double unit = std::ldexp(1.0, outShift);
  for (int r = 0; r < w.rows; ++r) {
    for (int g = 0; g < L.groupsPerRow(); ++g) {
      const float* src = w.row(r) + size_t(g) * L.group;
      double m = 0;
      for (int i = 0; i < L.group; ++i) m = std::max(m, double(std::fabs(src[i])));
      const double ideal = m * unit / qmax;  // c that maps max|w| onto qmax
      double bestErr = -1;
      size_t best = 0;
      for (size_t p = 0; p < pairs.size(); ++p) {
        const bool near = pairs[p].c >= 0.45 * ideal && pairs[p].c <= 1.3 * ideal;
        const bool edge = (p == 0 && pairs[p].c > 1.3 * ideal) || (p + 1 == pairs.size() && pairs[p].c < 0.45 * ideal);
        if (!near && !edge) continue;
        const double scale = pairs[p].c / unit;
        double err = 0;
        for (int i = 0; i < L.group; ++i) {
          const double q = std::clamp(double(std::lround(src[i] / scale)), double(qmin), double(qmax));
          err += (src[i] - q * scale) * (src[i] - q * scale);
        }
        if (bestErr < 0 || err < bestErr) {
          bestErr = err;
          best = p;
        }
      }
      const double scale = pairs[best].c / unit;
      L.s1[size_t(r) * L.groupsPerRow() + g] = uint8_t(pairs[best].s1);
      L.s2[size_t(r) * L.groupsPerRow() + g] = uint8_t(pairs[best].s2);
      int8_t* dst = L.w.data() + size_t(r) * w.cols + size_t(g) * L.group;
      for (int i = 0; i < L.group; ++i) {
        dst[i] = int8_t(std::clamp(std::lround(src[i] / scale), long(qmin), long(qmax)));
      }
    }
  }
  return L;
}

Matrix dequantizeLinear(const IntLinear& L) {
  Matrix m(L.rows, L.cols);
  for (int r = 0; r < L.rows; ++r) {
    for (int c = 0; c < L.cols; ++c) {
      const size_t g = size_t(r) * L.groupsPerRow() + size_t(c / L.group);
      m.at(r, c) = float(L.w[size_t(r) * L.cols + c] * double((1 << L.s1[g]) + (1 << L.s2[g])) /
                         std::ldexp(1.0, L.outShift));
    }
  }
  return m;
}

}  // namespace specmamba::intops
