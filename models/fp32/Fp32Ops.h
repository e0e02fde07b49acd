#pragma once
// FP32 building blocks of the Mamba2 block (SPEC §2), shared by the decode
// path, the chunked prefill and the speculative tree walk.
#include <cmath>
#include <cstddef>

#include "models/common/Matrix.h"

namespace specmamba::fp32 {

inline float silu(float x) { return x / (1.0f + std::exp(-x)); }
inline float softplus(float x) { return x > 20.0f ? x : std::log1p(std::exp(x)); }

// y[r] = W[r,:] . x  for every row of W.
void gemv(const Matrix& w, const float* x, float* y);
// Y[t, r] = W[r,:] . X[t,:]  (X: [T, cols of W], Y: [T, rows of W]); each
// weight row is read once for a block of tokens.
void gemm(const Matrix& w, const Matrix& x, Matrix& y);
// y = x / sqrt(mean(x^2) + eps) * weight
void rmsnorm(const float* x, const float* weight, int n, double eps, float* y);
float dot(const float* a, const float* b, int n);

}  // namespace specmamba::fp32
