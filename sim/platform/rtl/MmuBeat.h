#pragma once
// The sm_mmu input beat, packed from the golden model's IntLinear: shared by
// the plain-C++ testbench (tests/rtl/MmuTest.cpp) and the rtl MMU unit.
// Layout (LSB first): w [o][i] | x [t][i] | xs [t][g] | s1 [o] | s2 [o] |
// first | last | shift.
#include <algorithm>
#include <cstdint>

#include "models/int/IntOps.h"
#include "sim/platform/rtl/Bits.h"

namespace specmamba::rtl {

struct MmuShape {
  unsigned tp, wbits, abits;
  unsigned cop = 8, cip = 8;
  unsigned groups() const { return cip / 8; }
  unsigned accBits() const { return wbits == 4 ? 34 : 38; }
  unsigned wW() const { return cop * cip * wbits; }
  unsigned xW() const { return tp * cip * abits; }
  unsigned xsW() const { return tp * groups() * 4; }
  unsigned sW() const { return cop * 3; }
  unsigned beatW() const { return wW() + xW() + xsW() + 2 * sW() + 2 + 5; }
  unsigned outW() const { return tp * cop * 32; }
  // Field offsets.
  unsigned xAt() const { return wW(); }
  unsigned xsAt() const { return xAt() + xW(); }
  unsigned s1At() const { return xsAt() + xsW(); }
  unsigned s2At() const { return s1At() + sW(); }
  unsigned flagsAt() const { return s2At() + sW(); }  // first, last, then the 5-bit shift
};

// Beat b (inputs [b x cip, (b + 1) x cip)) of the output tile of rows
// [row0, row0 + cop) of L (rows past L.rows have zero weights) for `tokens`
// <= tp tokens of x [t][L.cols], xs [t][L.cols / 8] (null: zero activations).
inline Bits packMmuBeat(const MmuShape& sh, const intops::IntLinear& L, unsigned tokens,
                        const int8_t* x, const uint8_t* xs, unsigned b, unsigned row0 = 0) {
  Bits beat(sh.beatW());
  const unsigned cols = unsigned(L.cols);
  const unsigned rows = std::min(sh.cop, unsigned(L.rows) - row0);
  for (unsigned o = 0; o < rows; ++o)
    for (unsigned i = 0; i < sh.cip; ++i)
      beat.set((o * sh.cip + i) * sh.wbits, sh.wbits, uint64_t(L.w[(row0 + o) * cols + b * sh.cip + i]));
  for (unsigned t = 0; x && t < tokens; ++t) {
    for (unsigned i = 0; i < sh.cip; ++i)
      beat.set(sh.xAt() + (t * sh.cip + i) * sh.abits, sh.abits,
               uint64_t(x[t * cols + b * sh.cip + i]));
    for (unsigned g = 0; g < sh.groups(); ++g)
      beat.set(sh.xsAt() + (t * sh.groups() + g) * 4, 4, xs[t * cols / 8 + b * sh.groups() + g]);
  }
  const unsigned grp = b * sh.cip / unsigned(L.group);
  for (unsigned o = 0; o < rows; ++o) {
    beat.set(sh.s1At() + o * 3, 3, L.s1[(row0 + o) * unsigned(L.groupsPerRow()) + grp]);
    beat.set(sh.s2At() + o * 3, 3, L.s2[(row0 + o) * unsigned(L.groupsPerRow()) + grp]);
  }
  const unsigned beats = cols / sh.cip;
  beat.set(sh.flagsAt(), 1, b == 0);
  beat.set(sh.flagsAt() + 1, 1, b + 1 == beats);
  beat.set(sh.flagsAt() + 2, 5, uint64_t(L.outShift));
  return beat;
}

}  // namespace specmamba::rtl
