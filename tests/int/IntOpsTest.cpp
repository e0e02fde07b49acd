// Integer operators of SPEC §3: the PoT quantizer (exhaustive over small
// ranges and at the edges), Hadamard constructions, LUTs, RMSNorm table,
// two-term PoT linear and conv against a straightforward reference.
#include <catch2/catch.hpp>

#include <climits>
#include <cmath>

#include "models/common/Error.h"
#include "models/common/Rng.h"
#include "models/int/IntOps.h"
#include "models/int/IntTables.h"
#include "models/rotation/Hadamard.h"

using namespace specmamba;
using namespace specmamba::intops;

namespace {

// SPEC §3 written out independently: round(x / 2^s) half up, with the
// exponent from the group's max.
int refExponent(const std::vector<int64_t>& g, int bits) {
  int64_t m = 0;
  for (int64_t v : g) m = std::max<int64_t>(m, v < 0 ? -v : v);
  if (m >= 1) m -= 1;
  int bl = 0;
  while ((m >> bl) != 0) ++bl;
  return std::clamp(bl - (bits - 1), 0, 15);
}
int64_t refQuant(int64_t x, int s, int bits) {
  const double q = s > 0 ? std::floor(double(x) / std::ldexp(1.0, s) + 0.5) : double(x);
  return std::clamp<int64_t>(int64_t(q), -(int64_t(1) << (bits - 1)), (int64_t(1) << (bits - 1)) - 1);
}

}  // namespace

TEST_CASE("PoT quantizer matches SPEC exhaustively over small values", "[int][quant]") {
  for (int bits : {4, 8}) {
    // Every single value in [-600, 600] as a group's max, with neighbours.
    for (int v = -600; v <= 600; ++v) {
      int32_t x[8] = {v, v / 2, -v / 3, 0, 1, -1, v / 7, 3};
      std::vector<int64_t> g(x, x + 8);
      int8_t q[8];
      const int s = quantizeGroup(x, 8, bits, q);
      REQUIRE(s == refExponent(g, bits));
      for (int i = 0; i < 8; ++i) REQUIRE(q[i] == refQuant(x[i], s, bits));
    }
  }
}

TEST_CASE("PoT quantizer edge cases", "[int][quant]") {
  int8_t q[8];
  SECTION("zero group: s = 0, q = 0") {
    int32_t x[8] = {};
    REQUIRE(quantizeGroup(x, 8, 4, q) == 0);
    for (int8_t v : q) REQUIRE(v == 0);
  }
  SECTION("s = 0 keeps small values exactly, both signs") {
    int32_t x[8] = {-8, -7, -1, 0, 1, 5, 7, 8};  // max 8 -> m = 7 -> bitlen 3 -> s = 0
    REQUIRE(quantizeGroup(x, 8, 4, q) == 0);
    REQUIRE(q[0] == -8);
    REQUIRE(q[7] == 7);  // 8 clamps to 7
    REQUIRE(q[1] == -7);
  }
  SECTION("negative values round half up (toward +inf)") {
    int32_t x[8] = {-16, -3, -2, -1, 3, 2, 1, 0};  // m = 15 -> s = 1
    REQUIRE(quantizeGroup(x, 8, 4, q) == 1);
    REQUIRE(q[0] == -8);
    REQUIRE(q[1] == -1);  // -1.5 -> -1
    REQUIRE(q[3] == 0);   // -0.5 -> 0
    REQUIRE(q[4] == 2);   // 1.5 -> 2
  }
  SECTION("s clamps at 15 for int32 limits") {
    int32_t x[8] = {INT32_MIN, INT32_MAX, 0, 1, -1, 1 << 20, -(1 << 20), 12345};
    const int s4 = quantizeGroup(x, 8, 4, q);
    REQUIRE(s4 == 15);
    REQUIRE(q[0] == -8);
    REQUIRE(q[1] == 7);
    REQUIRE(q[5] == 7);  // 2^20 / 2^15 = 32 -> clamps
    REQUIRE(quantizeGroup(x, 8, 8, q) == 15);
    REQUIRE(q[0] == -128);
    REQUIRE(q[5] == 32);
    REQUIRE(q[6] == -32);
  }
  SECTION("s = 15 exactly at the boundary and just below") {
    int32_t a[8] = {1 << 18};  // 4-bit: m = 2^18-1 -> bitlen 18 -> s = 15
    REQUIRE(quantizeGroup(a, 8, 4, q) == 15);
    int32_t b[8] = {1 << 17};  // -> s = 14
    REQUIRE(quantizeGroup(b, 8, 4, q) == 14);
    REQUIRE(q[0] == 7);  // 2^17 / 2^14 = 8 -> clamps to 7
  }
  SECTION("inputs beyond 32 bits are an error") {
    int64_t big[8] = {int64_t(INT32_MAX) + 1};
    uint8_t s[1];
    REQUIRE_THROWS_AS(quantizePot64(big, 8, 4, q, s), Error);
    int64_t ok[8] = {INT32_MIN};
    REQUIRE_NOTHROW(quantizePot64(ok, 8, 4, q, s));
  }
  SECTION("length must be a multiple of 8") {
    int32_t x[12] = {};
    uint8_t s[2];
    int8_t qq[12];
    REQUIRE_THROWS_AS(quantizePot(x, 12, 4, qq, s), Error);
  }
}

TEST_CASE("every Hadamard of the SPEC model sizes is orthogonal", "[int][hadamard]") {
  for (int k : {1, 2, 4, 12, 20, 24, 40}) {
    CAPTURE(k);
    REQUIRE(isHadamard(hadamardMatrix(k), k));
  }
  // d_model and d_inner of every SPEC model and the tiny ones.
  for (int n : {64, 128, 256, 512, 768, 1024, 1536, 2048, 2560, 3072, 4096, 5120}) {
    CAPTURE(n);
    const HadamardSplit s = hadamardSplit(n);
    REQUIRE(s.order() == n);
    REQUIRE(s.pow2 <= 128);
    if (n <= 1536) REQUIRE(isHadamard(hadamardDense(s), n));  // dense check costs n^3
  }
  REQUIRE(hadamardSplit(1536).k == 12);
  REQUIRE(hadamardSplit(3072).k == 24);
  REQUIRE(hadamardSplit(5120).k == 40);
  REQUIRE(hadamardSplit(768).k == 12);
  REQUIRE_THROWS_AS(hadamardMatrix(6), Error);
}

TEST_CASE("integer butterfly equals the dense Hadamard product", "[int][hadamard]") {
  Rng rng(5);
  for (int n : {128, 768, 1536}) {
    CAPTURE(n);
    const HadamardSplit s = hadamardSplit(n);
    const std::vector<int8_t> H = hadamardDense(s), K = hadamardMatrix(s.k);
    std::vector<int32_t> v(static_cast<size_t>(n));
    for (auto& x : v) x = int32_t(rng.below(200001)) - 100000;
    std::vector<int64_t> ref(size_t(n), 0);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) ref[size_t(i)] += int64_t(H[size_t(i) * n + j]) * v[size_t(j)];
    }
    const int sh = hadamardShift(n);
    hadamardInt(v.data(), s, K, sh);
    for (int i = 0; i < n; ++i) REQUIRE(v[size_t(i)] == (ref[size_t(i)] >> sh));
    // FP32 transform: orthonormal, same product.
    std::vector<float> f(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) f[size_t(i)] = float(i % 7) - 3.0f;
    std::vector<float> g = f;
    hadamardTransformFp32(g.data(), s, K);
    for (int i = 0; i < n; i += 37) {
      double r = 0;
      for (int j = 0; j < n; ++j) r += H[size_t(i) * n + j] * f[size_t(j)];
      REQUIRE(g[size_t(i)] == Approx(r / std::sqrt(double(n))).margin(1e-4));
    }
  }
}

TEST_CASE("HTU overflow is an error, not a wrap", "[int][hadamard]") {
  const HadamardSplit s = hadamardSplit(128);
  std::vector<int32_t> v(128, INT32_MAX / 2);
  REQUIRE_THROWS_AS(hadamardInt(v.data(), s, hadamardMatrix(1), hadamardShift(128)), Error);
}

TEST_CASE("LUT nonlinearities track the real functions", "[int][lut]") {
  const auto silu = [](double x) { return x / (1 + std::exp(-x)); };
  const auto softplus = [](double x) { return std::log1p(std::exp(x)); };
  const auto ex = [](double x) { return std::exp(x); };
  const LutError es = measureLutError(siluLut(), silu, -25, 103);
  const LutError ep = measureLutError(softplusLut(), softplus, -25, 39);
  const LutError ee = measureLutError(expLut(), ex, -20, 0);
  // Half a fine bin of slope <= 1.1 plus rounding of the entry.
  CHECK(es.maxAbs < 0.02);
  CHECK(ep.maxAbs < 0.01);
  CHECK(ee.maxAbs < 0.02);  // Q6 output: half an LSB is 0.0078
  // Exact structure: index clamps and the shift table.
  const Lut L = siluLut();
  REQUIRE(lut(L, INT32_MIN) == lut(L, -25600));
  REQUIRE(lut(L, INT32_MAX) == int32_t(L.t[4095]) << L.ts[31]);
  REQUIRE(lut(expLut(), 0) == 64);  // exp(0) = 1 in Q6
}

TEST_CASE("RMSNorm LUT factor error stays within its documented bounds", "[int][rmsnorm]") {
  for (int n : {64, 768, 2560}) {
    for (int inFrac : {10, 14}) {
      CAPTURE(n, inFrac);
      const RmsLut L = makeRmsLut(n, 1e-5, inFrac);
      REQUIRE(L.alpha[0] == 0);
      for (int i = 1; i < kRmsSubTables; ++i) REQUIRE(L.alpha[i] > L.alpha[i - 1]);
      // Table resolution: 0.4% (half a bin of a 3-octave sub-table); r's own
      // integer resolution adds 1/r, r = 2^(22 - inFrac) / rms (docs/arithmetic.md).
      const double hi = inFrac == 10 ? 16.0 : 2.0;
      CHECK(measureRmsLutError(L, n, 1e-5, 1.0 / 16, hi) < 0.008);
      CHECK(measureRmsLutError(L, n, 1e-5, 1.0 / 16, 64) < (inFrac == 10 ? 0.01 : 0.15));
    }
  }
  // y = x / rms * w in Q10.
  const int n = 64;
  const RmsLut L = makeRmsLut(n, 1e-5, 10);
  std::vector<int32_t> x(static_cast<size_t>(n)), y(static_cast<size_t>(n));
  std::vector<int16_t> w(size_t(n), 256);
  double ss = 0;
  for (int i = 0; i < n; ++i) {
    x[size_t(i)] = (i * 37 % 23 - 11) * 300;
    ss += double(x[size_t(i)]) * x[size_t(i)];
  }
  rmsnorm(L, x.data(), w.data(), n, y.data());
  const double rms = std::sqrt(ss / n);
  for (int i = 0; i < n; ++i) REQUIRE(y[size_t(i)] == Approx(x[size_t(i)] / rms * 1024).margin(1024 * 0.006));
}

TEST_CASE("two-term PoT linear equals the dequantized float product", "[int][linear]") {
  Rng rng(3);
  for (int bits : {4, 8}) {
    Matrix w(24, 256);
    for (auto& v : w.data) v = float(0.05 * rng.studentT(4));
    const int shift = bits == 4 ? 10 : 14;
    const IntLinear L = quantizeLinear(w, bits, shift, bits == 4 ? 34 : 38);
    const Matrix dq = dequantizeLinear(L);
    // The quantizer's weights are close to the real ones (relative L2).
    double e = 0, s = 0;
    for (size_t i = 0; i < w.data.size(); ++i) {
      e += double(w.data[i] - dq.data[i]) * (w.data[i] - dq.data[i]);
      s += double(w.data[i]) * w.data[i];
    }
    CHECK(std::sqrt(e / s) < (bits == 4 ? 0.2 : 0.015));
    std::vector<int32_t> x(256);
    for (auto& v : x) v = int32_t(rng.normal() * 1500);
    PotVector xq = quantizePot(x, bits);
    std::vector<int32_t> y(24);
    linear(L, xq.q.data(), xq.s.data(), y.data());
    for (int r = 0; r < 24; ++r) {
      double ref = 0;
      for (int c = 0; c < 256; ++c) ref += double(xq.value(c)) * dq.at(r, c);
      // Exact up to the final truncating shift.
      REQUIRE(double(y[size_t(r)]) <= ref + 1e-6);
      REQUIRE(double(y[size_t(r)]) > ref - 1.0 - 1e-6);
    }
    // Batched = one by one.
    std::vector<int8_t> q2(512);
    std::vector<uint8_t> s2(64);
    for (int t = 0; t < 2; ++t) {
      std::copy(xq.q.begin(), xq.q.end(), q2.begin() + t * 256);
      std::copy(xq.s.begin(), xq.s.end(), s2.begin() + t * 32);
    }
    std::vector<int32_t> yb(48);
    linearBatch(L, 2, q2.data(), s2.data(), yb.data());
    for (int r = 0; r < 24; ++r) REQUIRE(yb[size_t(24 + r)] == y[size_t(r)]);
  }
}

TEST_CASE("linear accumulator overflow is an error", "[int][linear]") {
  IntLinear L;
  L.rows = 1;
  L.cols = 32;
  L.group = 32;
  L.w.assign(32, 7);
  L.s1.assign(1, 7);
  L.s2.assign(1, 7);
  std::vector<int8_t> xq(32, 7);
  std::vector<uint8_t> xs(4, 15);  // 4 * 392 * 2^22 * 2 > 2^33
  int32_t y = 0;
  REQUIRE_THROWS_AS(linear(L, xq.data(), xs.data(), &y), Error);
  std::fill(xs.begin(), xs.end(), 0);
  REQUIRE_NOTHROW(linear(L, xq.data(), xs.data(), &y));
  REQUIRE(y == (7 * 7 * 32 * 256) >> 10);
}

TEST_CASE("conv1d window shifts and taps line up with time", "[int][conv]") {
  IntConv c;
  c.channels = 8;
  c.kernel = 4;
  c.w.assign(32, 0);
  c.ws.assign(4, 0);
  c.b.assign(8, 0);
  c.bs.assign(1, 0);
  for (int k = 0; k < 4; ++k) c.w[size_t(k) * 8] = int8_t(1 << k);  // channel 0: taps 1,2,4,8
  c.b[0] = 1;
  c.bs[0] = 10;  // bias = 1024 -> +1 after >> 10
  ConvWindow win = zeroConvWindow(c);
  std::vector<int32_t> y(8);
  const int inputs[5] = {3, 5, 7, 11, 13};
  for (int t = 0; t < 5; ++t) {
    std::vector<int8_t> xq(8, 0);
    std::vector<uint8_t> xs(1, 10);  // x = q << 10
    xq[0] = int8_t(inputs[t]);
    conv1dStep(c, win, xq.data(), xs.data(), y.data());
    int expect = 1;
    for (int k = 0; k < 4; ++k) {
      const int src = t - 3 + k;
      if (src >= 0) expect += inputs[src] * (1 << k);
    }
    REQUIRE(y[0] == expect);
  }
}
