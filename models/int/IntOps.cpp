#include "models/int/IntOps.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "models/common/Error.h"

namespace specmamba::intops {

void widthError(const char* what, int64_t value, int bits) {
  throw Error(
      fmt::format("integer datapath overflow: {} = {} does not fit {} bits", what, value, bits));
}

namespace {

template <typename T>
int quantizeGroupT(const T* x, int n, int bits, int8_t* q) {
  uint64_t m = 0;
  for (int i = 0; i < n; ++i) {
    const int64_t v = x[i];
    if (v < INT32_MIN || v > INT32_MAX) widthError("quantizer input", v, 32);
    const uint64_t a = uint64_t(v < 0 ? -v : v);
    if (a > m) m = a;
  }
  const int s = potExponent(m, bits);
  for (int i = 0; i < n; ++i) q[i] = potQuantize(x[i], s, bits);
  return s;
}

void checkGroups(int n) {
  if (n % kGroup != 0)
    throw Error(fmt::format("PoT quantizer: length {} is not a multiple of 8", n));
}

}  // namespace

int quantizeGroup(const int32_t* x, int n, int bits, int8_t* q) {
  return quantizeGroupT(x, n, bits, q);
}

void quantizePot(const int32_t* x, int n, int bits, int8_t* q, uint8_t* s) {
  checkGroups(n);
  for (int g = 0; g < n / kGroup; ++g)
    s[g] = uint8_t(quantizeGroupT(x + g * kGroup, kGroup, bits, q + g * kGroup));
}

void quantizePot64(const int64_t* x, int n, int bits, int8_t* q, uint8_t* s) {
  checkGroups(n);
  for (int g = 0; g < n / kGroup; ++g)
    s[g] = uint8_t(quantizeGroupT(x + g * kGroup, kGroup, bits, q + g * kGroup));
}

PotVector quantizePot(const std::vector<int32_t>& x, int bits) {
  PotVector v(int(x.size()));
  quantizePot(x.data(), int(x.size()), bits, v.q.data(), v.s.data());
  return v;
}

// --- linear ------------------------------------------------------------------

namespace {

// Sum of the SPEC's two shifted terms per sub-group, regrouped exactly:
// (acc_g << (x_s + s1)) + (acc_g << (x_s + s2)) = (acc_g << x_s) * (2^s1 + 2^s2).
// Integer sums do not depend on their order, so the result is bit-identical;
// the accumulator width is checked at every 128-input group boundary.
inline int32_t linearRow(const IntLinear& L, int r, const int8_t* xq, const uint8_t* xs) {
  const int8_t* w = L.w.data() + size_t(r) * L.cols;
  const uint8_t* s1 = L.s1.data() + size_t(r) * L.groupsPerRow();
  const uint8_t* s2 = L.s2.data() + size_t(r) * L.groupsPerRow();
  const int subPerGroup = L.group / kGroup;
  int64_t acc = 0;
  for (int g = 0; g < L.groupsPerRow(); ++g) {
    int64_t accGroup = 0;
    for (int sub = 0; sub < subPerGroup; ++sub) {
      const int sg = g * subPerGroup + sub;
      const int8_t* wg = w + sg * kGroup;
      const int8_t* xg = xq + sg * kGroup;
      const int32_t accG = xg[0] * wg[0] + xg[1] * wg[1] + xg[2] * wg[2] + xg[3] * wg[3] +
                           xg[4] * wg[4] + xg[5] * wg[5] + xg[6] * wg[6] + xg[7] * wg[7];
      accGroup += shl(accG, xs[sg]);
    }
    acc += accGroup * ((1 << s1[g]) + (1 << s2[g]));
    fit(acc, L.accBits, "linear accumulator");
  }
  return fit32(acc >> L.outShift, "linear output");
}

// The same sum with the activations pre-shifted once per token,
// xv = x_q << x_s (int32): acc_group = sum over the 128 inputs of xv * w is
// exact in int32 whenever max|xv| * max|w| * group < 2^31 (checked by the
// caller), and vectorizes. Bit-identical to linearRow.
inline int32_t linearRowScaled(const IntLinear& L, int r, const int32_t* xv) {
  const int8_t* w = L.w.data() + size_t(r) * L.cols;
  const uint8_t* s1 = L.s1.data() + size_t(r) * L.groupsPerRow();
  const uint8_t* s2 = L.s2.data() + size_t(r) * L.groupsPerRow();
  int64_t acc = 0;
  for (int g = 0; g < L.groupsPerRow(); ++g) {
    const int32_t* xg = xv + size_t(g) * L.group;
    const int8_t* wg = w + size_t(g) * L.group;
    int32_t accGroup = 0;
#pragma omp simd reduction(+ : accGroup)
    for (int j = 0; j < L.group; ++j) accGroup += xg[j] * int32_t(wg[j]);
    acc += int64_t(accGroup) * ((1 << s1[g]) + (1 << s2[g]));
    fit(acc, L.accBits, "linear accumulator");
  }
  return fit32(acc >> L.outShift, "linear output");
}

// Pre-shifted activations of one token; false when the int32 group sum could
// overflow (then linearRow is used).
bool scaleInput(const IntLinear& L, const int8_t* xq, const uint8_t* xs, int32_t* xv) {
  int64_t maxAbs = 0;
  for (int i = 0; i < L.cols; ++i) {
    xv[i] = int32_t(shl(xq[i], xs[i / kGroup]));
    maxAbs = std::max<int64_t>(maxAbs, xv[i] < 0 ? -int64_t(xv[i]) : xv[i]);
  }
  const int64_t maxW = int64_t(1) << (L.bits - 1);
  return maxAbs * maxW * L.group < (int64_t(1) << 31);
}

}  // namespace

void linear(const IntLinear& L, const int8_t* xq, const uint8_t* xs, int32_t* y) {
  linearBatch(L, 1, xq, xs, y);
}

void linearBatch(const IntLinear& L, int tokens, const int8_t* xq, const uint8_t* xs, int32_t* y) {
  constexpr int kTokenBlock = 8;
  const int xsPerToken = L.cols / kGroup;
  std::vector<int32_t> xv(size_t(kTokenBlock) * L.cols);
  bool fast[kTokenBlock];
  for (int t0 = 0; t0 < tokens; t0 += kTokenBlock) {
    const int t1 = t0 + kTokenBlock < tokens ? t0 + kTokenBlock : tokens;
    for (int t = t0; t < t1; ++t) {
      fast[t - t0] = scaleInput(L, xq + size_t(t) * L.cols, xs + size_t(t) * xsPerToken,
                                xv.data() + size_t(t - t0) * L.cols);
    }
    for (int r = 0; r < L.rows; ++r) {
      for (int t = t0; t < t1; ++t) {
        y[size_t(t) * L.rows + r] =
            fast[t - t0] ? linearRowScaled(L, r, xv.data() + size_t(t - t0) * L.cols)
                         : linearRow(L, r, xq + size_t(t) * L.cols, xs + size_t(t) * xsPerToken);
      }
    }
  }
}

// --- conv1d -------------------------------------------------------------------

ConvWindow zeroConvWindow(const IntConv& c) {
  ConvWindow w;
  w.q.assign(size_t(c.kernel - 1) * c.channels, 0);
  w.s.assign(size_t(c.kernel - 1) * c.channels / kGroup, 0);
  return w;
}

void conv1dStep(const IntConv& c, ConvWindow& win, const int8_t* xq, const uint8_t* xs,
                int32_t* y) {
  const int C = c.channels, K = c.kernel, G = C / kGroup;
  for (int ch = 0; ch < C; ++ch) {
    const int g = ch / kGroup;
    int64_t acc = shl(c.b[size_t(ch)], c.bs[size_t(g)]);
    for (int k = 0; k < K; ++k) {
      const int8_t x = k < K - 1 ? win.q[size_t(k) * C + ch] : xq[ch];
      const int xsk = k < K - 1 ? win.s[size_t(k) * G + g] : xs[g];
      acc += shl(int32_t(x) * c.w[size_t(k) * C + ch], xsk + c.ws[size_t(k) * G + g]);
      fit(acc, 40, "conv accumulator");
    }
    y[ch] = fit32(acc >> 10, "conv output");
  }
  for (int k = 0; k + 1 < K - 1; ++k) {  // shift the window, oldest out
    std::copy(win.q.begin() + (k + 1) * C, win.q.begin() + (k + 2) * C, win.q.begin() + k * C);
    std::copy(win.s.begin() + (k + 1) * G, win.s.begin() + (k + 2) * G, win.s.begin() + k * G);
  }
  std::copy(xq, xq + C, win.q.begin() + size_t(K - 2) * C);
  std::copy(xs, xs + G, win.s.begin() + size_t(K - 2) * G);
}

// --- RMSNorm --------------------------------------------------------------------

int64_t sumSquares(const int32_t* x, int n) {
  uint64_t sum = 0;
  for (int i = 0; i < n; ++i) {
    const uint64_t sq = uint64_t(int64_t(x[i]) * x[i]);
    sum += sq;
    if (sum > uint64_t(INT64_MAX)) widthError("RMSNorm sum of squares", INT64_MAX, 64);
  }
  return int64_t(sum);
}

int64_t rmsFactor(const RmsLut& L, int64_t sum) {
  int i = 0;
  while (i + 1 < kRmsSubTables && sum >= L.alpha[i + 1]) ++i;
  int64_t idx = (sum - L.alpha[i]) >> L.log2denom[i];
  idx = idx < 0 ? 0 : (idx > kRmsEntries - 1 ? kRmsEntries - 1 : idx);
  return int64_t(L.table[size_t(i) * kRmsEntries + size_t(idx)]) << L.offset[i];
}

void rmsnorm(const RmsLut& L, const int32_t* x, const int16_t* w, int n, int32_t* y) {
  const int64_t r = rmsFactor(L, sumSquares(x, n));
  for (int i = 0; i < n; ++i) {
    const int64_t xr = fit32((int64_t(x[i]) * r) >> 12, "RMSNorm x*r");
    y[i] = fit32((xr * w[i]) >> 8, "RMSNorm output");
  }
}

// --- SSM --------------------------------------------------------------------------

SsmState zeroSsmState(int nHeads, int headdim, int dState) {
  SsmState s;
  s.h.assign(size_t(nHeads) * headdim * dState, 0);
  s.s.assign(s.h.size() / kGroup, 0);
  return s;
}

void ssmStep(const SsmParams& p, const PotVector& x, const PotVector& B, const PotVector& C,
             const PotVector& dt, SsmState& st, int32_t* y, SsmTrace* trace) {
  const int H = p.nHeads, P = p.headdim, N = p.dState, D = H * P;
  // dA = exp(dt * A) per head, re-quantized in groups of 8 heads.
  std::vector<int32_t> dtA(static_cast<size_t>(H)), dAraw(static_cast<size_t>(H));
  for (int h = 0; h < H; ++h) {
    dtA[size_t(h)] = ssmDtA(dt.q[size_t(h)], dt.s[size_t(h / kGroup)], p.aQ[h], p.aS[h / kGroup]);
    dAraw[size_t(h)] = lut(*p.exp, dtA[size_t(h)]);
  }
  const PotVector dA = quantizePot(dAraw, 8);
  // dB = dt * B per head, re-quantized along N.
  std::vector<int32_t> dBraw(size_t(H) * N);
  for (int h = 0; h < H; ++h) {
    for (int n = 0; n < N; ++n) {
      dBraw[size_t(h) * N + n] =
          ssmDb(dt.q[size_t(h)], dt.s[size_t(h / kGroup)], B.q[size_t(n)], B.s[size_t(n / kGroup)]);
    }
  }
  const PotVector dB = quantizePot(dBraw, 8);

  std::vector<int32_t> hNew(size_t(P) * N);  // one head, [N][P]
  std::vector<int8_t> hq(size_t(P) * N);     // along N, [P][N]
  std::vector<uint8_t> hs(size_t(P) * N / kGroup);
  std::vector<int32_t> rowN(static_cast<size_t>(N));
  if (trace) {
    trace->dtA = dtA;
    trace->dARaw = dAraw;
    trace->dA = dA;
    trace->dBRaw = dBraw;
    trace->dB = dB;
    trace->hNew.assign(size_t(N) * D, 0);
    trace->htC.assign(size_t(D), 0);
    trace->xD.assign(size_t(D), 0);
  }
  for (int h = 0; h < H; ++h) {
    const int8_t da = dA.q[size_t(h)];
    const int das = dA.s[size_t(h / kGroup)];
    // h = dA * h + dB * x  (32 bits)
    for (int n = 0; n < N; ++n) {
      const int8_t db = dB.q[size_t(h) * N + n];
      const int dbs = dB.s[(size_t(h) * N + n) / kGroup];
      for (int pp = 0; pp < P; ++pp) {
        const size_t i = size_t(n) * D + size_t(h) * P + pp;  // [N][d_inner]
        const int xi = h * P + pp;
        const int64_t v = int64_t(ssmDah(da, das, st.h[i], st.s[i / kGroup])) +
                          ssmDbx(db, dbs, x.q[size_t(xi)], x.s[size_t(xi / kGroup)]);
        hNew[size_t(n) * P + pp] = fit32(v, "h update");
      }
    }
    // Stored state: re-quantized along headdim (groups of 8 p for each n).
    for (int n = 0; n < N; ++n) {
      const size_t base = size_t(n) * D + size_t(h) * P;
      quantizePot(hNew.data() + size_t(n) * P, P, 8, st.h.data() + base,
                  st.s.data() + base / kGroup);
      if (trace)
        std::copy(hNew.begin() + n * P, hNew.begin() + (n + 1) * P,
                  trace->hNew.begin() + long(base));
    }
    // For the C contraction: re-quantized along N (the 8x8 transpose).
    for (int pp = 0; pp < P; ++pp) {
      for (int n = 0; n < N; ++n) rowN[size_t(n)] = hNew[size_t(n) * P + pp];
      quantizePot(rowN.data(), N, 8, hq.data() + size_t(pp) * N,
                  hs.data() + size_t(pp) * N / kGroup);
    }
    const int8_t dq = p.dQ[h];
    const int ds = p.dS[h / kGroup];
    for (int pp = 0; pp < P; ++pp) {
      int64_t acc = 0;
      for (int g = 0; g < N / kGroup; ++g) {
        int32_t accG = 0;
        for (int j = 0; j < kGroup; ++j) {
          const int n = g * kGroup + j;
          accG += int32_t(hq[size_t(pp) * N + n]) * C.q[size_t(n)];
        }
        acc += shl(accG, hs[(size_t(pp) * N) / kGroup + g] + C.s[size_t(g)]);
        fit(acc, 48, "htC accumulator");
      }
      const int xi = h * P + pp;
      const int32_t htC = fit32(acc >> 17, "htC");
      const int32_t xD = ssmXd(x.q[size_t(xi)], x.s[size_t(xi / kGroup)], dq, ds);
      y[xi] = fit32(int64_t(htC) + xD, "y");
      if (trace) {
        trace->htC[size_t(xi)] = htC;
        trace->xD[size_t(xi)] = xD;
      }
    }
  }
}

// --- Hadamard -------------------------------------------------------------------------

void hadamardInt(int32_t* v, const HadamardSplit& s, const std::vector<int8_t>& kMatrix,
                 int shift) {
  const int P = s.pow2, K = s.k, n = s.order();
  for (int b = 0; b < K; ++b) {
    int32_t* blk = v + size_t(b) * P;
    for (int len = 1; len < P; len *= 2) {
      for (int i = 0; i < P; i += 2 * len) {
        for (int j = i; j < i + len; ++j) {
          const int64_t a = blk[j], c = blk[j + len];
          blk[j] = fit32(a + c, "HTU butterfly");
          blk[j + len] = fit32(a - c, "HTU butterfly");
        }
      }
    }
  }
  std::vector<int64_t> tmp(size_t(n), 0);
  if (K == 1) {
    for (int i = 0; i < n; ++i) tmp[size_t(i)] = v[i];
  } else {
    for (int a = 0; a < K; ++a) {
      for (int b = 0; b < K; ++b) {
        const int sign = kMatrix[size_t(a) * K + b];
        for (int j = 0; j < P; ++j) tmp[size_t(a) * P + j] += sign * int64_t(v[size_t(b) * P + j]);
      }
    }
  }
  for (int i = 0; i < n; ++i)
    v[i] = fit32(fit(tmp[size_t(i)], 40, "HTU K-matrix") >> shift, "HTU output");
}

int hadamardShift(int n) { return (bitlen(uint64_t(n)) - 1) / 2; }

}  // namespace specmamba::intops
