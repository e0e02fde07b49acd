#pragma once
// Offline generation of the integer datapath's constants: the LUTs of the
// nonlinearities and of RMSNorm (from the real functions), and the two-term
// PoT weight quantizer. docs/arithmetic.md documents each choice and the
// measured errors.
#include <functional>

#include "models/common/Matrix.h"
#include "models/int/IntOps.h"

namespace specmamba::intops {

// Output formats of the nonlinearities [ours] (input is always Q10):
constexpr int kSiluOutFrac = 10;      // x, B, C, SiLU(z): Q10
constexpr int kSoftplusOutFrac = 12;  // dt: Q12
constexpr int kExpOutFrac = 6;        // dA: Q6 (dA = 1 is exactly 64)
constexpr int kAFrac = 8;             // A: Q8 (so dt*A >> 10 is Q10)
constexpr int kDFrac = 12;            // D: Q12 (so x*D >> 8 is Q14)
constexpr int kYFrac = 14;            // y, yz, gated-norm input: Q14
constexpr int kConvWeightFrac = 10;   // conv taps: Q10 (x * w >> 10 stays Q10)
constexpr int kConvBiasFrac = 20;     // conv bias: Q20 (added before >> 10)
constexpr int kNormWeightFrac = 8;    // RMSNorm weights: Q8 (the >> 8)

// T[i] = f(bin midpoint) * 2^outFrac / 2^Ts[segment], Ts the smallest shift
// that keeps every entry of the 128-bin segment in int16.
Lut makeLut(const std::function<double(double)>& f, int32_t alpha, int k, int ks, int inFrac, int outFrac);
Lut siluLut();      // alpha -25600, k 5, ks 12 (SPEC §3)
Lut softplusLut();  // alpha -25600, k 4, ks 11
Lut expLut();       // alpha -20480, k 3, ks 10

struct LutError {
  double maxAbs = 0;  // max |lut(x) - f(x)| in real units over the range
  double rms = 0;     // root mean square of the same
  double lo = 0, hi = 0;  // range tested (real units): every Q10 input in it
};
LutError measureLutError(const Lut& L, const std::function<double(double)>& f, double lo, double hi);

// r(S) = 2^(12 + outFrac - inFrac) / sqrt(S / (n 4^inFrac) + eps), where S is
// the integer sum of squares of n inputs in Q<inFrac>; the output of
// rmsnorm() is then Q<outFrac> (before the Q8 weight, which keeps it).
// Sub-table 0 covers [0, alpha_1) linearly; sub-tables 1..7 start at
// alpha_i = alpha_1 * 8^(i-1) and each spans 8 alpha_i (3 octaves of S),
// alpha_1 at an RMS of 2^-4 real units [ours].
RmsLut makeRmsLut(int n, double eps, int inFrac, int outFrac = kResidualFrac);
// max relative error of the factor r against the exact 1/RMS over RMS values
// (real units) in [lo, hi], sampled log-uniformly.
double measureRmsLutError(const RmsLut& L, int n, double eps, double lo, double hi, int outFrac = kResidualFrac);

// Two-term PoT weight quantizer: for each row and group of `group` inputs,
// scale = (2^s1 + 2^s2) / 2^outShift (s1, s2 in [0, 7]) and q = round(w /
// scale) clamped to `bits`; the pair minimising the group's squared error
// wins (the candidates near max|w| / qmax are searched).
IntLinear quantizeLinear(const Matrix& w, int bits, int outShift, int accBits);
// The FP32 weights an IntLinear stands for (for error measurements).
Matrix dequantizeLinear(const IntLinear& L);

}  // namespace specmamba::intops
