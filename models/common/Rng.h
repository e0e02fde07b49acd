#pragma once
// Deterministic random numbers. std::normal_distribution & co. are
// implementation-defined, so the same seed could give other weights with
// another standard library; these are defined here bit for bit.
#include <cmath>
#include <cstdint>

namespace specmamba {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  // splitmix64: passes BigCrush, one add and three multiplies a draw.
  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n).
  uint64_t below(uint64_t n) { return next() % n; }
  // Standard normal (Box-Muller, both values used).
  double normal() {
    if (haveSpare_) {
      haveSpare_ = false;
      return spare_;
    }
    double u1 = 0;
    do {
      u1 = uniform();
    } while (u1 <= 0.0);
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(6.283185307179586 * u2);
    haveSpare_ = true;
    return r * std::cos(6.283185307179586 * u2);
  }
  // Student-t with an even number `dof` of degrees of freedom (> 2), scaled to
  // unit variance: the heavy-tailed law of trained LLM weights. chi2 with 2k
  // degrees of freedom is -2 log(u1 ... uk), one log a draw.
  double studentT(int dof) {
    double prod = 1.0;
    for (int i = 0; i < dof / 2; ++i) {
      double u = 0;
      do {
        u = uniform();
      } while (u <= 0.0);
      prod *= u;
    }
    const double chi2 = -2.0 * std::log(prod);
    const double t = normal() / std::sqrt(chi2 / dof);
    return t * std::sqrt((dof - 2.0) / dof);
  }
  // Derives an independent stream, e.g. one per tensor, so adding a tensor
  // does not shift the numbers of the others.
  static uint64_t mix(uint64_t seed, uint64_t salt) {
    Rng r(seed ^ (salt * 0xD1B54A32D192ED03ull));
    return r.next();
  }

 private:
  uint64_t state_;
  bool haveSpare_ = false;
  double spare_ = 0;
};

}  // namespace specmamba
