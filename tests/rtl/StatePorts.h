#pragma once
// The on-chip states through their ports: sm_ssmu's state buffer (st_*) and
// sm_conv1d's windows (win_*), in the entry layouts docs/rtl.md gives.
#include "models/int/IntOps.h"
#include "tests/rtl/RtlTestSupport.h"

namespace specmamba::rtltest {

constexpr unsigned kPotEntryW = 8 * 8 + 4;  // 8 int8 lanes + a 4-bit exponent

// Entry e of the SSM state buffer: h[8e .. 8e+7] of [N][d_inner], exponent on top.
inline Bits ssmEntryBits(const intops::SsmState& st, size_t e) {
  Bits b(kPotEntryW);
  for (unsigned l = 0; l < 8; ++l) b.set(l * 8, 8, uint64_t(uint8_t(st.h[e * 8 + l])));
  b.set(64, 4, st.s[e]);
  return b;
}

template <typename Dut>
void loadSsmState(Dut& dut, const intops::SsmState& st) {
  dut.st_we_i = 1;
  for (size_t e = 0; e < st.s.size(); ++e) {
    dut.st_addr_i = uint32_t(e);
    ssmEntryBits(st, e).store(dut.st_wdata_i);
    tick(dut);
  }
  dut.st_we_i = 0;
}

// Entries of the state buffer that differ from `want`.
template <typename Dut>
size_t ssmStateMismatches(Dut& dut, const intops::SsmState& want) {
  size_t bad = 0;
  dut.st_re_i = 1;
  for (size_t e = 0; e < want.s.size(); ++e) {
    dut.st_addr_i = uint32_t(e);
    tick(dut);
    Bits got(kPotEntryW);
    got.load(dut.st_rdata_o);
    bad += sameBits(got, ssmEntryBits(want, e)) ? 0 : 1;
  }
  dut.st_re_i = 0;
  return bad;
}

// Group g's conv window: kernel-1 entries, oldest lowest, each {x, x_s}.
inline Bits convWindowBits(const intops::ConvWindow& win, unsigned g, unsigned groups, unsigned kernel) {
  Bits b((kernel - 1) * kPotEntryW);
  for (unsigned k = 0; k + 1 < kernel; ++k) {
    b.set(k * kPotEntryW, 4, win.s[k * groups + g]);
    for (unsigned j = 0; j < 8; ++j)
      b.set(k * kPotEntryW + 4 + j * 8, 8, uint64_t(uint8_t(win.q[(k * groups + g) * 8 + j])));
  }
  return b;
}

}  // namespace specmamba::rtltest
