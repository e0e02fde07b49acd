#pragma once
// sm_mixer's configuration and state ports (or a unit that passes them on
// under the same names, as sm_mamba_layer does): the LUTs, a layer's
// per-head parameters and conv weights, its conv windows and SSM state.
#include "models/int/Mamba2Int.h"
#include "tests/rtl/RtlTestSupport.h"
#include "tests/rtl/StatePorts.h"

namespace specmamba::rtltest {

template <typename Dut>
void loadTables(Dut& dut, const IntModelWeights& q) {
  const intops::Lut* luts[3] = {&q.silu, &q.softplus, &q.exp};
  Bits alpha(96);
  for (unsigned f = 0; f < 3; ++f) alpha.set(f * 32, 32, uint32_t(luts[f]->alpha));
  alpha.store(dut.lut_alpha_i);
  dut.lut_k_i = uint16_t(luts[0]->k | luts[1]->k << 5 | luts[2]->k << 10);
  dut.lut_ks_i = uint16_t(luts[0]->ks | luts[1]->ks << 5 | luts[2]->ks << 10);
  dut.tab_we_i = 1;
  for (unsigned f = 0; f < 3; ++f) {
    dut.tab_fn_i = uint8_t(f);
    for (int i = 0; i < intops::kLutEntries + intops::kLutShiftEntries; ++i) {
      const bool shiftTable = i >= intops::kLutEntries;
      dut.tab_sel_i = shiftTable;
      dut.tab_addr_i = uint16_t(shiftTable ? i - intops::kLutEntries : i);
      dut.tab_data_i = shiftTable ? luts[f]->ts[size_t(i - intops::kLutEntries)] : uint16_t(luts[f]->t[size_t(i)]);
      tick(dut);
    }
  }
  dut.tab_we_i = 0;
}

// Layer l's per-head parameters and conv weights.
template <typename Dut>
void loadMixerParams(Dut& dut, const Mamba2Int& m, int l) {
  const ModelConfig& c = m.config();
  const IntLayerWeights& L = m.weights().layers[size_t(l)];
  dut.par_we_i = 1;
  for (int h = 0; h < c.nHeads; ++h) {
    dut.par_head_i = uint8_t(h);
    dut.par_a_i = uint16_t(L.aQ[size_t(h)]);
    dut.par_as_i = L.aS[size_t(h / 8)];
    dut.par_d_i = uint8_t(L.dQ[size_t(h)]);
    dut.par_ds_i = L.dS[size_t(h / 8)];
    dut.par_dtb_i = uint32_t(L.dtBias[size_t(h)]);
    tick(dut);
  }
  dut.par_we_i = 0;
  const intops::IntConv& cv = L.conv;
  const unsigned groups = unsigned(cv.channels / 8), K = unsigned(cv.kernel);
  dut.cw_we_i = 1;
  for (unsigned g = 0; g < groups; ++g) {
    Bits w(K * 64);
    uint32_t ws = 0;
    for (unsigned k = 0; k < K; ++k) {
      for (unsigned j = 0; j < 8; ++j) w.set(k * 64 + j * 8, 8, uint64_t(uint8_t(cv.w[k * unsigned(cv.channels) + g * 8 + j])));
      ws |= uint32_t(cv.ws[k * groups + g]) << (4 * k);
    }
    uint64_t b = 0;
    for (unsigned j = 0; j < 8; ++j) b |= uint64_t(uint8_t(cv.b[g * 8 + j])) << (8 * j);
    dut.cw_addr_i = uint8_t(g);
    w.store(dut.cw_w_i);
    dut.cw_ws_i = uint16_t(ws);
    dut.cw_b_i = b;
    dut.cw_bs_i = cv.bs[g];
    tick(dut);
  }
  dut.cw_we_i = 0;
}

// A layer's conv windows and SSM state, through the state ports (idle).
template <typename Dut>
void loadMixerStates(Dut& dut, const IntLayerState& st, unsigned groups, unsigned kernel) {
  dut.win_we_i = 1;
  for (unsigned g = 0; g < groups; ++g) {
    dut.win_addr_i = uint8_t(g);
    convWindowBits(st.conv, g, groups, kernel).store(dut.win_wdata_i);
    tick(dut);
  }
  dut.win_we_i = 0;
  loadSsmState(dut, st.ssm);
}

// Layer l's parameters, conv weights, and the zero states.
template <typename Dut>
void loadLayer(Dut& dut, const Mamba2Int& m, int l) {
  loadMixerParams(dut, m, l);
  const ModelConfig& c = m.config();
  loadMixerStates(dut, m.initialState().layers[size_t(l)], unsigned(c.convDim() / 8), unsigned(c.dConv));
}

template <typename Dut>
size_t convMismatches(Dut& dut, const intops::ConvWindow& want, unsigned groups, unsigned kernel) {
  size_t bad = 0;
  dut.win_re_i = 1;
  for (unsigned g = 0; g < groups; ++g) {
    dut.win_addr_i = uint8_t(g);
    tick(dut);
    Bits got((kernel - 1) * kPotEntryW);
    got.load(dut.win_rdata_o);
    bad += sameBits(got, convWindowBits(want, g, groups, kernel)) ? 0 : 1;
  }
  dut.win_re_i = 0;
  return bad;
}

}  // namespace specmamba::rtltest
