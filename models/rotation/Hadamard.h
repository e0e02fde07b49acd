#pragma once
// Hadamard matrices for the rotations of SPEC §3: every order n = K * 2^m of
// the model sizes of SPEC §2 (d_model 768 = 12*64, 2560 = 20*128; d_inner
// 1536 = 12*128, 3072 = 24*128, 5120 = 40*128, powers of two) is built as
// H_K (Kronecker) H_{2^m}: Sylvester for 2^m, Paley I for K = 12, 20, 24 and
// Sylvester doubling for K = 40 = 2*20. The power-of-two factor is at most
// 128 (the HTU's 128-point butterfly), so H_K stays a small +-1 matrix.
#include <cstdint>
#include <vector>

namespace specmamba {

// How an order n splits: n = k * pow2, H_n = H_k (x) H_pow2.
struct HadamardSplit {
  int k = 1;
  int pow2 = 1;
  int order() const { return k * pow2; }
};

// The split used for order n; throws Error when no construction is known.
HadamardSplit hadamardSplit(int n);
// A +-1 Hadamard matrix of order k (k in {1, 2^m, 12, 20, 24, 28, 40, ...}),
// row-major k*k; throws Error for an order without a construction here.
std::vector<int8_t> hadamardMatrix(int k);
// The full +-1 matrix H_k (x) H_pow2 of order n (dense, for tests and offline use).
std::vector<int8_t> hadamardDense(const HadamardSplit& s);
// true when H * H^T == n * I.
bool isHadamard(const std::vector<int8_t>& h, int n);

// In-place FP32 transform v <- H v / sqrt(n) (orthonormal) with the butterfly
// for the 2^m part and the +-1 matrix for the K part: O(n (m + K)).
// `kMatrix` is hadamardMatrix(s.k) (passed in so callers can cache it).
void hadamardTransformFp32(float* v, const HadamardSplit& s, const std::vector<int8_t>& kMatrix);

// Orthonormal rotation of order n, cached matrix: the object the offline
// quantizer and the FP32 model use.
class HadamardRotation {
 public:
  explicit HadamardRotation(int n);
  int order() const { return split_.order(); }
  const HadamardSplit& split() const { return split_; }
  const std::vector<int8_t>& kMatrix() const { return k_; }
  // v <- H v / sqrt(n).
  void apply(float* v) const { hadamardTransformFp32(v, split_, k_); }
  // Row r of a row-major [rows, n] matrix: row <- H row / sqrt(n), i.e. M <- M H^T / sqrt(n).
  void applyToRows(float* m, int rows) const;
  // Column c of a row-major [n, cols] matrix: M <- H M / sqrt(n).
  void applyToColumns(float* m, int cols) const;

 private:
  HadamardSplit split_;
  std::vector<int8_t> k_;
};

}  // namespace specmamba
