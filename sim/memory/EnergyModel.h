#pragma once
// DRAMPower-style energy from the preset's IDD/VDD values (per device, summed
// over rails and the devices of a rank):
//   E_ACT  = (IDD0 - IDD3N) * tRAS * V        E_PRE = (IDD0 - IDD2N) * tRP * V
//   E_RD   = (IDD4R - IDD3N) * tBurst * V     E_WR  = (IDD4W - IDD3N) * tBurst * V
//   E_REFab = (IDD5 - IDD3N) * tRFC * V       E_REFpb = E_REFab / banks per rank
//   background: IDD3N * V while any bank of the rank is open, IDD2N * V otherwise;
// plus optional interface energy io_pj_per_bit for every transferred bit.
// mA * ns * V = pJ. A PREA costs one E_PRE per bank it closed.
#include "sim/memory/DramSpec.h"
#include "sim/memory/DramStats.h"

namespace specmamba::dram {

struct CommandEnergy {  // pJ per command per rank; standby in pJ per cycle per rank
  double act = 0, pre = 0, rd = 0, wr = 0, refab = 0, refpb = 0;
  double activeStandby = 0, prechargeStandby = 0;
};

struct EnergyBreakdown {  // pJ
  double act = 0, pre = 0, rd = 0, wr = 0, ref = 0, background = 0, io = 0;
  double total() const { return act + pre + rd + wr + ref + background + io; }
};

CommandEnergy commandEnergy(const DramSpec& spec);
// `stats` merged over all channels, accounted up to stats.accountedUntil.
EnergyBreakdown computeEnergy(const DramSpec& spec, const ChannelStats& stats);

}  // namespace specmamba::dram
