#include "tests/rtl/Golden.h"

#include <algorithm>
#include <cstdlib>

namespace specmamba::rtltest::golden {

// PLACEHOLDER until models/int (issue 7) provides the operator.
int actQuantGroup(const int64_t* x, int n, int bits, int64_t* q) {
  int64_t m = 0;
  for (int i = 0; i < n; ++i) m = std::max<int64_t>(m, std::llabs(x[i]));
  if (m >= 1) m -= 1;
  int bl = 0;
  while (bl < 63 && (m >> bl) != 0) ++bl;
  const int s = std::clamp(bl - (bits - 1), 0, 15);
  const int64_t lo = -(int64_t(1) << (bits - 1)), hi = (int64_t(1) << (bits - 1)) - 1;
  for (int i = 0; i < n; ++i) {
    const int64_t v = s > 0 ? ((x[i] >> (s - 1)) + 1) >> 1 : x[i];
    q[i] = std::clamp(v, lo, hi);
  }
  return s;
}

}  // namespace specmamba::rtltest::golden
