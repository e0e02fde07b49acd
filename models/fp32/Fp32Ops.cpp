#include "models/fp32/Fp32Ops.h"

namespace specmamba::fp32 {

float dot(const float* a, const float* b, int n) {
  float acc = 0.0f;
#pragma omp simd reduction(+ : acc)
  for (int i = 0; i < n; ++i) acc += a[i] * b[i];
  return acc;
}

void gemv(const Matrix& w, const float* x, float* y) {
  for (int r = 0; r < w.rows; ++r) y[r] = dot(w.row(r), x, w.cols);
}

void gemm(const Matrix& w, const Matrix& x, Matrix& y) {
  constexpr int kTokenBlock = 8;  // keeps a weight row in L1 across 8 tokens
  for (int t0 = 0; t0 < x.rows; t0 += kTokenBlock) {
    const int t1 = t0 + kTokenBlock < x.rows ? t0 + kTokenBlock : x.rows;
    for (int r = 0; r < w.rows; ++r) {
      const float* wr = w.row(r);
      for (int t = t0; t < t1; ++t) y.at(t, r) = dot(wr, x.row(t), w.cols);
    }
  }
}

void rmsnorm(const float* x, const float* weight, int n, double eps, float* y) {
  double ss = 0.0;
  for (int i = 0; i < n; ++i) ss += double(x[i]) * double(x[i]);
  const float scale = float(1.0 / std::sqrt(ss / n + eps));
  for (int i = 0; i < n; ++i) y[i] = x[i] * scale * weight[i];
}

}  // namespace specmamba::fp32
