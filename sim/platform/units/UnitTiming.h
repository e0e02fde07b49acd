#pragma once
// Latency and initiation interval of each RTL unit as measured by the RTL
// regression (docs/rtl.md, "Cycle figures"): the numbers the fast models
// wait. Hardware parameters as data: change them here, nowhere else.
namespace specmamba::platform {

struct UnitTiming {
  const char* unit;
  int latency;  // cycles from input to output handshake
  int ii;       // cycles between accepted beats (per vector for the norm: see Norm.h)
  const char* source;
};

// docs/rtl.md rows, stall-free.
inline constexpr UnitTiming kActQuantTiming{"sm_act_quant", 2, 1, "docs/rtl.md: latency 2, II 1"};
inline constexpr UnitTiming kMmuTiming{
    "sm_mmu", 3, 1,
    "docs/rtl.md: y after B + 2 cycles for a tile of B beats (3 after the last beat)"};
inline constexpr UnitTiming kFwhtTiming{"sm_fwht", 7, 1,
                                        "docs/rtl.md: 128 points per beat, latency 7, II 1"};
inline constexpr UnitTiming kHadamardKTiming{
    "sm_hadamard_k", 1, 1, "docs/rtl.md: latency K + 1, II K (one output row per cycle)"};
inline constexpr UnitTiming kLutTiming{"sm_lut_act", 3, 1, "docs/rtl.md: latency 3, II 1"};
inline constexpr UnitTiming kConvTiming{"sm_conv1d", 2, 1, "docs/rtl.md: latency 2, II 1"};
inline constexpr UnitTiming kRmsNormTiming{"sm_rmsnorm", 3, 2,
                                           "docs/rtl.md: 2B + 3 cycles per vector of B beats"};
inline constexpr UnitTiming kSsmUpdateTiming{"sm_ssm_update", 3, 1, "docs/rtl.md: latency 3, II 1"};
// [ours] not in the RTL yet: the residual adder (one register).
inline constexpr UnitTiming kResidualTiming{"residual add", 1, 1, "[ours] one adder stage"};
// [ours] SSMU operators between the state read and y that each make one pass
// over N x d_inner when they are not fused (tiling off): dA·h, dB·x, the
// add + re-quantization along headdim, the along-N re-quantization + h·C.
inline constexpr int kSsmuUnfusedPasses = 4;
// sm_ssmu, per head-group token, beyond its N x 8 x P / PP inner-loop beats:
// the header beats (one of dt, N / PP each of B and C), one dA beat and the
// pipeline drain (sm_ssm_update's 3 cycles included). docs/rtl.md measures
// 285 cycles for 256 inner-loop beats at 8 heads x P 16 x N 16 (29 over);
// the platform's rtl SSMU takes 29 over at N = 16 (tiny-64) and 33 at
// N = 32 (tiny-256) (+1 driver cycle each): drain 23 fits both.
inline constexpr int kSsmuDrain = 23;
inline constexpr int ssmuOverheadCycles(int dState, int pp) {
  return 1 + 2 * ((dState + pp - 1) / pp) + 1 + kSsmuDrain;
}

}  // namespace specmamba::platform
