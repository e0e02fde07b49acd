#include "models/rotation/Hadamard.h"

#include <fmt/format.h>

#include <cmath>

#include "models/common/Error.h"

namespace specmamba {

namespace {

bool isPowerOfTwo(int n) { return n > 0 && (n & (n - 1)) == 0; }

bool isPrime(int q) {
  if (q < 2) return false;
  for (int d = 2; d * d <= q; ++d) {
    if (q % d == 0) return false;
  }
  return true;
}

std::vector<int8_t> sylvester(int n) {
  std::vector<int8_t> h(size_t(n) * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) h[size_t(i) * n + j] = (__builtin_popcount(unsigned(i & j)) & 1) ? -1 : 1;
  }
  return h;
}

// Paley construction I: q prime, q = 3 (mod 4), order q + 1.
// H = I + S with S = [[0, 1^T], [-1, Q]], Q the Jacobsthal matrix chi(j - i).
std::vector<int8_t> paleyI(int q) {
  std::vector<int> chi(size_t(q), -1);
  chi[0] = 0;
  for (int x = 1; x < q; ++x) chi[size_t(x * x % q)] = 1;
  const int n = q + 1;
  std::vector<int8_t> h(size_t(n) * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      int s = 0;
      if (i == 0 && j > 0) s = 1;
      if (i > 0 && j == 0) s = -1;
      if (i > 0 && j > 0) s = chi[size_t(((j - i) % q + q) % q)];
      h[size_t(i) * n + j] = int8_t(s + (i == j ? 1 : 0));
    }
  }
  return h;
}

std::vector<int8_t> kron(const std::vector<int8_t>& a, int na, const std::vector<int8_t>& b, int nb) {
  const int n = na * nb;
  std::vector<int8_t> h(size_t(n) * n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      h[size_t(i) * n + j] = int8_t(a[size_t(i / nb) * na + j / nb] * b[size_t(i % nb) * nb + j % nb]);
    }
  }
  return h;
}

bool hasConstruction(int k) {
  if (isPowerOfTwo(k)) return true;
  if (k % 4 == 0 && isPrime(k - 1) && (k - 1) % 4 == 3) return true;
  return k % 8 == 0 && hasConstruction(k / 2);  // Sylvester doubling of an order 4t
}

}  // namespace

std::vector<int8_t> hadamardMatrix(int k) {
  if (k <= 0) throw Error(fmt::format("Hadamard order must be positive, got {}", k));
  if (isPowerOfTwo(k)) return sylvester(k);
  if (k % 4 == 0 && isPrime(k - 1) && (k - 1) % 4 == 3) return paleyI(k - 1);
  if (k % 8 == 0 && hasConstruction(k / 2)) {
    return kron(sylvester(2), 2, hadamardMatrix(k / 2), k / 2);  // Sylvester doubling
  }
  throw Error(fmt::format("no Hadamard construction for order {} (known: 2^m, Paley I q+1, doublings)", k));
}

HadamardSplit hadamardSplit(int n) {
  if (n <= 0) throw Error(fmt::format("Hadamard order must be positive, got {}", n));
  int pow2 = 1;
  while (n % (pow2 * 2) == 0 && pow2 < 128) pow2 *= 2;
  // Give factors of two to K until K has a construction (768 = 6*128 -> 12*64).
  while (!hasConstruction(n / pow2)) {
    if (pow2 == 1) throw Error(fmt::format("no Hadamard matrix of order {} can be built", n));
    pow2 /= 2;
  }
  HadamardSplit s;
  s.k = n / pow2;
  s.pow2 = pow2;
  return s;
}

std::vector<int8_t> hadamardDense(const HadamardSplit& s) {
  return kron(hadamardMatrix(s.k), s.k, sylvester(s.pow2), s.pow2);
}

bool isHadamard(const std::vector<int8_t>& h, int n) {
  if (h.size() != size_t(n) * n) return false;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      int dot = 0;
      for (int c = 0; c < n; ++c) dot += h[size_t(i) * n + c] * h[size_t(j) * n + c];
      if (dot != (i == j ? n : 0)) return false;
    }
  }
  return true;
}

void hadamardTransformFp32(float* v, const HadamardSplit& s, const std::vector<int8_t>& kMatrix) {
  const int P = s.pow2, K = s.k, n = s.order();
  for (int b = 0; b < K; ++b) {  // butterfly on each block of 2^m
    float* blk = v + size_t(b) * P;
    for (int len = 1; len < P; len *= 2) {
      for (int i = 0; i < P; i += 2 * len) {
        for (int j = i; j < i + len; ++j) {
          const float a = blk[j], c = blk[j + len];
          blk[j] = a + c;
          blk[j + len] = a - c;
        }
      }
    }
  }
  const float norm = float(1.0 / std::sqrt(double(n)));
  if (K == 1) {
    for (int i = 0; i < n; ++i) v[i] *= norm;
    return;
  }
  std::vector<float> tmp(size_t(n), 0.0f);
  for (int a = 0; a < K; ++a) {
    float* out = tmp.data() + size_t(a) * P;
    for (int b = 0; b < K; ++b) {
      const float sign = kMatrix[size_t(a) * K + b];
      const float* in = v + size_t(b) * P;
      for (int j = 0; j < P; ++j) out[j] += sign * in[j];
    }
  }
  for (int i = 0; i < n; ++i) v[i] = tmp[size_t(i)] * norm;
}

HadamardRotation::HadamardRotation(int n) : split_(hadamardSplit(n)), k_(hadamardMatrix(split_.k)) {}

void HadamardRotation::applyToRows(float* m, int rows) const {
  for (int r = 0; r < rows; ++r) apply(m + size_t(r) * order());
}

void HadamardRotation::applyToColumns(float* m, int cols) const {
  const int n = order();
  std::vector<float> col(static_cast<size_t>(n));
  for (int c = 0; c < cols; ++c) {
    for (int i = 0; i < n; ++i) col[size_t(i)] = m[size_t(i) * cols + c];
    apply(col.data());
    for (int i = 0; i < n; ++i) m[size_t(i) * cols + c] = col[size_t(i)];
  }
}

}  // namespace specmamba
