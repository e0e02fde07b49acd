#pragma once
// Loads an intops::RmsLut into sm_rmsnorm's configuration ports (or a unit
// that passes them on under the same names): thresholds, shifts, offsets and
// the 8 x 512 table.
#include "models/int/IntOps.h"
#include "tests/rtl/RtlTestSupport.h"

namespace specmamba::rtltest {

// The thresholds, shifts and offsets of L as sm_rmsnorm's alpha_i,
// log2denom_i, offset_i; the n-th table of ports that carry several (as
// sm_mamba_layer's nrm_* do: [0] pre-norm, [1] gated).
inline void packRmsThresholds(const intops::RmsLut& L, Bits& alpha, Bits& l2d, Bits& off, unsigned n = 0) {
  for (unsigned i = 0; i < 8; ++i) {
    alpha.set((n * 8 + i) * 64, 64, uint64_t(L.alpha[i]));
    l2d.set((n * 8 + i) * 6, 6, L.log2denom[i]);
    off.set((n * 8 + i) * 6, 6, L.offset[i]);
  }
}

template <typename Dut>
void loadRmsLut(Dut& dut, const intops::RmsLut& L) {
  Bits alpha(8 * 64), l2d(8 * 6), off(8 * 6);
  packRmsThresholds(L, alpha, l2d, off);
  alpha.store(dut.alpha_i);
  l2d.store(dut.log2denom_i);
  off.store(dut.offset_i);
  dut.tab_we_i = 1;
  for (size_t a = 0; a < L.table.size(); ++a) {
    dut.tab_addr_i = uint16_t(a);
    dut.tab_data_i = L.table[a];
    tick(dut);
  }
  dut.tab_we_i = 0;
}

}  // namespace specmamba::rtltest
