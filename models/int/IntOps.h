#pragma once
// Integer operators of the accelerator datapath: the bit-exact contract of
// SPEC §3 that the RTL matches. Each operator is a small pure function over
// plain integer arrays; docs/arithmetic.md gives every width, shift and the
// fixed-point format ("Qf" = f fractional bits) of every value.
//
// A PoT-quantized value is q * 2^s: q int8 (4-bit values use int8 storage,
// range [-8, 7]) and s a 4-bit exponent shared by a group of 8 consecutive
// elements. Shifts are arithmetic; >> truncates toward -infinity.
//
// Overflow of a declared width throws specmamba::Error ("never silent"). The
// checks are compiled into every build type (a compare per 128-input group
// in the linear layers), so debug and release builds behave identically.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/rotation/Hadamard.h"

namespace specmamba::intops {

constexpr int kGroup = 8;          // elements sharing one activation exponent
constexpr int kMaxExponent = 15;   // activation exponents are 4 bits
constexpr int kResidualFrac = 10;  // residual stream: int32, Q10

[[noreturn]] void widthError(const char* what, int64_t value, int bits);

// v, checked to fit a signed `bits`-bit register.
inline int64_t fit(int64_t v, int bits, const char* what) {
  const int64_t lim = int64_t(1) << (bits - 1);
  if (v < -lim || v >= lim) widthError(what, v, bits);
  return v;
}
inline int32_t fit32(int64_t v, const char* what) { return int32_t(fit(v, 32, what)); }
// v << s for signed v without C++17's undefined behaviour on negatives.
inline int64_t shl(int64_t v, int s) { return v * (int64_t(1) << s); }
// 1-based index of the highest set bit, 0 for 0.
inline int bitlen(uint64_t m) { return m ? 64 - __builtin_clzll(m) : 0; }

// --- Group PoT activation quantizer (SPEC §3) --------------------------------
// Exponent of a group whose largest magnitude is maxAbs.
inline int potExponent(uint64_t maxAbs, int bits) {
  const uint64_t m = maxAbs >= 1 ? maxAbs - 1 : 0;
  const int s = bitlen(m) - (bits - 1);
  return s < 0 ? 0 : (s > kMaxExponent ? kMaxExponent : s);
}
// One element with the group's exponent s.
inline int8_t potQuantize(int64_t x, int s, int bits) {
  int64_t q = s > 0 ? ((x >> (s - 1)) + 1) >> 1 : x;
  const int64_t hi = (int64_t(1) << (bits - 1)) - 1, lo = -(int64_t(1) << (bits - 1));
  return int8_t(q < lo ? lo : (q > hi ? hi : q));
}
// One group of n <= 8 values; returns its exponent.
int quantizeGroup(const int32_t* x, int n, int bits, int8_t* q);
// n values (n a multiple of 8) -> q[n], s[n / 8].
void quantizePot(const int32_t* x, int n, int bits, int8_t* q, uint8_t* s);
// The same for 64-bit inputs: throws unless every value fits 32 bits.
void quantizePot64(const int64_t* x, int n, int bits, int8_t* q, uint8_t* s);

// A PoT-quantized vector (value i = q[i] << s[i / 8]).
struct PotVector {
  std::vector<int8_t> q;
  std::vector<uint8_t> s;
  PotVector() = default;
  explicit PotVector(int n) : q(size_t(n)), s(size_t(n / kGroup)) {}
  int64_t value(int i) const { return shl(q[size_t(i)], s[size_t(i / kGroup)]); }
  bool operator==(const PotVector& o) const { return q == o.q && s == o.s; }
};
PotVector quantizePot(const std::vector<int32_t>& x, int bits);

// --- Linear layer with two-term PoT group scales (SPEC §3) -------------------
// W4A4: int4 weights and activations, acc <= 34 bits. W8A8 [ours]: int8, the
// output shift 4 larger (the weights carry 4 more bits), acc <= 38 bits.
struct IntLinear {
  int rows = 0;
  int cols = 0;
  int bits = 4;         // weight (and activation) bits
  int group = 128;      // input channels sharing (s1, s2); min(128, cols) [ours]
  int outShift = 10;    // in_proj 10, out_proj 12 (+4 for W8A8)
  int weightFrac = 10;  // real weight = q * (2^s1 + 2^s2) / 2^weightFrac (offline only)
  int accBits = 34;
  std::vector<int8_t> w;        // [rows][cols]
  std::vector<uint8_t> s1, s2;  // [rows][cols / group], 3 bits each
  int groupsPerRow() const { return cols / group; }
};
// y[r] = (sum over 8-input sub-groups g of acc_g << (x_s + s1) + acc_g << (x_s + s2)) >> outShift.
void linear(const IntLinear& L, const int8_t* xq, const uint8_t* xs, int32_t* y);
// T tokens at once (rows of xq/xs/y): each weight row is read once per block
// of tokens (the MMU's TP > 1 reuse); bit-identical to T calls of linear().
void linearBatch(const IntLinear& L, int tokens, const int8_t* xq, const uint8_t* xs, int32_t* y);

// --- Depthwise causal conv1d with int8 state (SPEC §3) -----------------------
struct IntConv {
  int channels = 0;
  int kernel = 4;
  std::vector<int8_t> w;    // [kernel][channels]; tap kernel-1 sees the current input
  std::vector<uint8_t> ws;  // [kernel][channels / 8]
  std::vector<int8_t> b;    // [channels]
  std::vector<uint8_t> bs;  // [channels / 8]
};
// The quantized inputs of the last kernel-1 tokens, oldest first.
struct ConvWindow {
  std::vector<int8_t> q;   // [kernel-1][channels]
  std::vector<uint8_t> s;  // [kernel-1][channels / 8]
  bool operator==(const ConvWindow& o) const { return q == o.q && s == o.s; }
};
ConvWindow zeroConvWindow(const IntConv& c);
// y = ((b << b_s) + sum_taps (x * w) << (x_s + w_s)) >> 10 (acc <= 40 bits [ours]);
// then the window shifts in this token's input.
void conv1dStep(const IntConv& c, ConvWindow& win, const int8_t* xq, const uint8_t* xs, int32_t* y);

// --- LUT nonlinearities (SPEC §3) --------------------------------------------
constexpr int kLutEntries = 4096;
constexpr int kLutShiftEntries = 32;
struct Lut {
  int32_t alpha = 0;
  int k = 0;                // fine index shift
  int ks = 0;               // shift-table index shift
  int inFrac = 10;          // input format (for documentation and generation)
  int outFrac = 10;         // output format [ours]
  std::vector<int16_t> t;   // [4096]
  std::vector<uint8_t> ts;  // [32], 4 bits each
};
inline int32_t lut(const Lut& L, int32_t x) {
  const int64_t d = int64_t(x) - L.alpha;
  int64_t i = d >> L.k, j = d >> L.ks;
  i = i < 0 ? 0 : (i > kLutEntries - 1 ? kLutEntries - 1 : i);
  j = j < 0 ? 0 : (j > kLutShiftEntries - 1 ? kLutShiftEntries - 1 : j);
  return int32_t(shl(L.t[size_t(i)], L.ts[size_t(j)]));
}

// --- LUT RMSNorm (SPEC §3) ----------------------------------------------------
constexpr int kRmsSubTables = 8;
constexpr int kRmsEntries = 512;
struct RmsLut {
  int64_t alpha[kRmsSubTables] = {};  // ascending thresholds, alpha[0] = 0
  uint8_t log2denom[kRmsSubTables] = {};
  uint8_t offset[kRmsSubTables] = {};
  std::vector<uint16_t> table;  // [8][512]
  int inFrac = 10;              // input format the table was built for
};
// sum of squares, 64-bit (throws on overflow).
int64_t sumSquares(const int32_t* x, int n);
// r = table_i[clamp((sum - alpha_i) >> log2denom_i, 0, 511)] << offset_i,
// i the last sub-table with alpha_i <= sum.
int64_t rmsFactor(const RmsLut& L, int64_t sum);
// y = ((x * r) >> 12) * w >> 8; w signed wBits-bit (11 before in_proj, 13 gated), Q8.
void rmsnorm(const RmsLut& L, const int32_t* x, const int16_t* w, int n, int32_t* y);

// --- PoT SSM step (SPEC §3) -----------------------------------------------------
// Element operators: operands are (q, s) pairs; results int32 (checked).
// dtA = ((dt * A) << (dt_s + A_s)) >> 10            (Q10 * Q10 -> Q10, exp input)
inline int32_t ssmDtA(int8_t dt, int dts, int16_t a, int as) {
  return fit32(shl(int64_t(dt) * a, dts + as) >> 10, "dt*A");
}
// dB = (dt * B) << (dt_s + B_s)                       (Q10 * Q10 -> Q20)
inline int32_t ssmDb(int8_t dt, int dts, int8_t b, int bs) {
  return fit32(shl(int64_t(dt) * b, dts + bs), "dt*B");
}
// dBx = ((dB * x) << (dB_s + x_s)) >> 11              (Q20 * Q10 -> Q19)
inline int32_t ssmDbx(int8_t db, int dbs, int8_t x, int xs) {
  return fit32(shl(int64_t(db) * x, dbs + xs) >> 11, "dB*x");
}
// xD = ((x * D) << (x_s + D_s)) >> 8                  (Q10 * Q10 -> Q12)
inline int32_t ssmXd(int8_t x, int xs, int8_t d, int ds) {
  return fit32(shl(int64_t(x) * d, xs + ds) >> 8, "x*D");
}
// dAh = ((dA * h) << (dA_s + h_s)) >> 6               (Q6 * Q19 -> Q19)
inline int32_t ssmDah(int8_t da, int das, int8_t h, int hs) {
  return fit32(shl(int64_t(da) * h, das + hs) >> 6, "dA*h");
}
// yz = ((y * SiLU(z)) << (y_s + z_s)) >> 10           (Q12 * Q10 -> Q12)
inline int32_t gateYz(int8_t y, int ys, int8_t z, int zs) {
  return fit32(shl(int64_t(y) * z, ys + zs) >> 10, "y*z");
}

struct SsmParams {
  int nHeads = 0;
  int headdim = 0;              // P
  int dState = 0;               // N
  const int16_t* aQ = nullptr;  // [heads] A (negative), Q10
  const uint8_t* aS = nullptr;  // [heads / 8], 3 bits
  const int8_t* dQ = nullptr;   // [heads] D, Q10
  const uint8_t* dS = nullptr;  // [heads / 8]
  const Lut* exp = nullptr;     // exp LUT, Q10 -> Q6
};
// SSM state: int8 h, layout [N][d_inner] (d_inner = heads * P), exponent per
// 8 consecutive elements along headdim.
struct SsmState {
  std::vector<int8_t> h;
  std::vector<uint8_t> s;
  bool operator==(const SsmState& o) const { return h == o.h && s == o.s; }
};
SsmState zeroSsmState(int nHeads, int headdim, int dState);
// Intermediates of one step, filled when a trace is passed (golden vectors).
struct SsmTrace {
  std::vector<int32_t> dtA;    // [heads]
  std::vector<int32_t> dARaw;  // [heads], exp(dtA) before quantization
  PotVector dA;                // [heads]
  std::vector<int32_t> dBRaw;  // [heads][N], dt*B before quantization
  PotVector dB;                // [heads][N]
  std::vector<int32_t> hNew;   // [N][d_inner], before re-quantization
  std::vector<int32_t> htC;    // [d_inner]
  std::vector<int32_t> xD;     // [d_inner]
};
// One token: x [d_inner], B/C [N], dt [heads] (each PoT, 8-bit) -> y [d_inner]
// (Q12, int32) and the updated state.
void ssmStep(const SsmParams& p, const PotVector& x, const PotVector& B, const PotVector& C,
             const PotVector& dt, SsmState& st, int32_t* y, SsmTrace* trace = nullptr);

// --- Online Hadamard (HTU) -----------------------------------------------------
// v <- ((H_K (x) H_2^m) v) >> shift: exact integer butterfly on each block of
// 2^m (each stage checked to 32 bits), then the +-1 K-point matrix across
// blocks (40-bit accumulator [ours]) and the shift (output checked to 32 bits).
void hadamardInt(int32_t* v, const HadamardSplit& s, const std::vector<int8_t>& kMatrix, int shift);
// The shift the HTU applies for order n: floor(log2(n) / 2) [ours]; the rest of
// the 1/sqrt(n) normalisation is folded into the out_proj weights offline.
int hadamardShift(int n);

}  // namespace specmamba::intops
